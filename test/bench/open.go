package bench

import (
	"context"
	"net"
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
	// vegeta's own defaults (keep-alive, TCP keep-alive 30 s) with up to
	// 1000 idle connections, on a transport closed after the run: idle
	// connections left open would count against the gateway's
	// max_connections in the next run.
	dialer := &net.Dialer{KeepAlive: 30 * time.Second}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 1000}
	defer tr.CloseIdleConnections()
	attacker := vegeta.NewAttacker(
		vegeta.Client(&http.Client{Timeout: 30 * time.Second, Transport: tr}),
		vegeta.MaxBody(0),
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
