package bench

import (
	"context"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// OpenLoop sends r at a fixed rate (requests per second) for d with vegeta,
// whatever the target's latency (an open loop: slow answers do not slow the
// arrivals, so queueing shows in the percentiles).
func OpenLoop(ctx context.Context, r Request, rate int, d time.Duration) Summary {
	hdr := http.Header{"Content-Type": []string{"application/json"}}
	targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodPost, URL: r.URL, Body: r.Body, Header: hdr})
	attacker := vegeta.NewAttacker(
		vegeta.KeepAlive(true),
		vegeta.Connections(1000),
		vegeta.MaxBody(0),
		vegeta.Timeout(30*time.Second),
	)
	stop := context.AfterFunc(ctx, func() { attacker.Stop() })
	defer stop()
	var (
		lat     = make([]time.Duration, 0, rate*int(d/time.Second+1))
		errs    int
		errText string
	)
	start := time.Now()
	for res := range attacker.Attack(targeter, vegeta.Rate{Freq: rate, Per: time.Second}, d, "chorusbench") {
		if res.Error != "" || res.Code != http.StatusOK {
			errs++
			if errText == "" {
				errText = res.Error
			}
			continue
		}
		lat = append(lat, res.Latency)
	}
	return Summarize(lat, errs, errText, time.Since(start))
}
