package bench

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func msd(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestSummarizeUsesNearestRankPercentiles(t *testing.T) {
	tests := []struct {
		name          string
		lat           []time.Duration
		p50, p90, p99 time.Duration
	}{
		{"one value is every percentile", []time.Duration{msd(5)}, msd(5), msd(5), msd(5)},
		{"ten values", []time.Duration{msd(10), msd(9), msd(8), msd(7), msd(6), msd(5), msd(4), msd(3), msd(2), msd(1)}, msd(5), msd(9), msd(10)},
		{"empty has zeros", nil, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.lat, 2, "boom", 2*time.Second)
			require.Equal(t, tt.p50, s.P50)
			require.Equal(t, tt.p90, s.P90)
			require.Equal(t, tt.p99, s.P99)
			require.Equal(t, len(tt.lat), s.Count)
			require.Equal(t, 2, s.Errors)
			require.InDelta(t, float64(len(tt.lat))/2, s.RPS, 1e-9)
		})
	}
}

func TestPercentileOfAHundredValues(t *testing.T) {
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = msd(i + 1)
	}
	require.Equal(t, msd(50), Percentile(lat, 50))
	require.Equal(t, msd(99), Percentile(lat, 99))
	require.Equal(t, msd(100), Percentile(lat, 100))
	require.Equal(t, msd(1), Percentile(lat, 0))
}

func TestParseStatCPUCountsFieldsAfterTheCommandName(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    time.Duration
		wantErr bool
	}{
		{"plain name", "42 (chorus) S 1 42 42 0 -1 4194560 100 0 0 0 150 25 0 0 20 0 8 0 100 0 0", 1750 * time.Millisecond, false},
		{"name with spaces and parentheses", "42 (a) b (c) R 1 42 42 0 -1 0 0 0 0 0 7 3 0 0", 100 * time.Millisecond, false},
		{"no command name", "42 chorus S", 0, true},
		{"truncated", "42 (chorus) S 1 2 3", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.line))
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatusKBReadsTheNamedLine(t *testing.T) {
	status := "Name:\tchorus\nVmPeak:\t  900 kB\nVmHWM:\t   38400 kB\nVmRSS:\t 30000 kB\n"
	got, err := parseStatusKB([]byte(status), "VmHWM:")
	require.NoError(t, err)
	require.Equal(t, int64(38400*1024), got)
	_, err = parseStatusKB([]byte("Name:\tx\n"), "VmHWM:")
	require.Error(t, err)
	_, err = parseStatusKB([]byte("VmHWM:\t12 MB\n"), "VmHWM:")
	require.Error(t, err)
}

func TestProcReadingsOfThisProcess(t *testing.T) {
	rss, err := PeakRSS(os.Getpid())
	require.NoError(t, err)
	require.Positive(t, rss)
	_, err = ProcCPU(os.Getpid())
	require.NoError(t, err)
	_, err = ProcCPU(-1)
	require.Error(t, err)
}
