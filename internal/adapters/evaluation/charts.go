package evaluation

import (
	"fmt"
	"math"

	"github.com/chorus-ai/chorus/internal/domain"
)

// Chart geometry, in SVG user units. The charts are drawn here rather than
// by a script so the report works offline, without a CDN, in any browser.
const (
	chartWidth  = 760
	labelWidth  = 210
	plotRight   = 640
	rowHeight   = 34
	chartTop    = 30
	chartBottom = 34
)

// winRow is one opponent's bar in the win-rate chart.
type winRow struct {
	Label           string
	Y, BarY         float64
	CapBottom       float64 // the interval's end caps span BarY..CapBottom
	BarW            float64
	LowX, HighX     float64
	Class           string // "win", "loss" or "even": which side the interval lies on
	Value, Interval string
}

// axisTick is a labelled grid line.
type axisTick struct {
	X, Y  float64
	Label string
}

// winChart is the win-rate chart.
type winChart struct {
	Height     float64
	GridBottom float64
	Rows       []winRow
	Ticks      []axisTick
	HalfX      float64
}

func newWinChart(rep domain.EvalReport) winChart {
	h := chartTop + float64(len(rep.Opponents))*rowHeight + chartBottom
	c := winChart{Height: h, GridBottom: h - chartBottom + 4, HalfX: xPct(0.5)}
	for i, o := range rep.Opponents {
		y := chartTop + float64(i)*rowHeight
		r := winRow{Label: rep.Workflow + " vs " + o.Name, Y: y + rowHeight/2, BarY: y + 8, CapBottom: y + 26, BarW: xPct(o.WinRate) - labelWidth,
			LowX: xPct(o.CILow), HighX: xPct(o.CIHigh), Class: "even",
			Value: pct(o.WinRate), Interval: "[" + pct(o.CILow) + ", " + pct(o.CIHigh) + "]"}
		switch {
		case o.N() == 0:
			r.Class, r.Value, r.Interval = "none", "no pairs", ""
		case o.CILow > 0.5:
			r.Class = "win"
		case o.CIHigh < 0.5:
			r.Class = "loss"
		}
		c.Rows = append(c.Rows, r)
	}
	for v := 0.0; v <= 1.0001; v += 0.25 {
		c.Ticks = append(c.Ticks, axisTick{X: xPct(v), Y: c.Height - chartBottom + 16, Label: pct(v)})
	}
	return c
}

// xPct maps a share in [0, 1] to the plot's x range.
func xPct(v float64) float64 { return labelWidth + v*(plotRight-labelWidth) }

// Scatter plot geometry.
const (
	scatterHeight = 340
	scatterLeft   = 80
	scatterRight  = 700
	scatterTop    = 20
	scatterBottom = 290
)

// scatterPoint is one contestant in the cost-vs-quality plot.
type scatterPoint struct {
	X, Y           float64
	Label          string
	LabelX, LabelY float64
	Anchor         string // text-anchor of the label
	Detail         string
	Class          string
}

// scatterChart is the cost-vs-quality plot.
type scatterChart struct {
	XLabel string
	Points []scatterPoint
	XTicks []axisTick
	YTicks []axisTick
}

// newScatter plots each contestant's cost per answer (dollars when every
// contestant is priced, else tokens) against its quality: the opponent's
// score against the workflow (1 − the workflow's win rate); the workflow
// sits at 50% by definition.
func newScatter(rep domain.EvalReport) scatterChart {
	priced := true
	for _, c := range rep.Contestants {
		priced = priced && c.Cost.Set
	}
	costOf := func(c domain.ContestantReport) float64 {
		if c.Answers == 0 {
			return 0
		}
		if priced {
			return c.Cost.Value / float64(c.Answers)
		}
		return float64(c.Usage.Total()) / float64(c.Answers)
	}
	s := scatterChart{XLabel: "tokens per answer"}
	if priced {
		s.XLabel = "US dollars per answer"
	}
	maxCost := 0.0
	for _, c := range rep.Contestants {
		maxCost = math.Max(maxCost, costOf(c))
	}
	top := niceCeil(maxCost)
	quality := map[string]float64{rep.Workflow: 0.5}
	for _, o := range rep.Opponents {
		if o.N() > 0 {
			quality[o.Name] = 1 - o.WinRate
		}
	}
	for _, c := range rep.Contestants {
		q, ok := quality[c.Name]
		if !ok || c.Answers == 0 {
			continue
		}
		cost := costOf(c)
		class := "opponent"
		if c.Kind == domain.ContestantWorkflow {
			class = "workflow"
		}
		s.Points = append(s.Points, scatterPoint{
			X: scatterLeft + cost/top*(scatterRight-scatterLeft), Y: scatterBottom - q*(scatterBottom-scatterTop),
			Label: c.Name, Class: class, Detail: fmt.Sprintf("%s: %s per answer, quality %s", c.Name, costText(cost, priced), pct(q)),
		})
	}
	s.Points = placeLabels(mergeLabels(s.Points))
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		s.XTicks = append(s.XTicks, axisTick{X: scatterLeft + float64(i)/4*(scatterRight-scatterLeft), Y: scatterBottom + 18, Label: costText(v, priced)})
		q := float64(i) / 4
		s.YTicks = append(s.YTicks, axisTick{X: scatterLeft - 8, Y: scatterBottom - q*(scatterBottom-scatterTop), Label: pct(q)})
	}
	return s
}

// mergeLabels keeps one label for points drawn on top of each other (the
// same cost and quality), naming them all, so labels never overprint.
func mergeLabels(ps []scatterPoint) []scatterPoint {
	for i := range ps {
		for j := 0; j < i; j++ {
			if ps[j].Label != "" && math.Abs(ps[i].X-ps[j].X) < 12 && math.Abs(ps[i].Y-ps[j].Y) < 12 {
				ps[j].Label += ", " + ps[i].Label
				ps[i].Label = ""
				break
			}
		}
	}
	return ps
}

// labelBox is the estimated extent of a placed label.
type labelBox struct{ x0, x1, y0, y1 float64 }

// placeLabels puts each label right of its point, else left, above or
// below, whichever first overlaps no point or label placed before and stays inside
// the chart (widths are estimated at 6.6 units per character).
func placeLabels(ps []scatterPoint) []scatterPoint {
	placed := make([]labelBox, 0, 2*len(ps))
	for _, p := range ps { // labels must not cover any point either
		placed = append(placed, labelBox{p.X - 8, p.X + 8, p.Y - 8, p.Y + 8})
	}
	for i := range ps {
		p := &ps[i]
		if p.Label == "" {
			continue
		}
		w := 6.6 * float64(len([]rune(p.Label)))
		options := []struct {
			x, y   float64
			anchor string
			box    labelBox
		}{
			{p.X + 11, p.Y + 4, "start", labelBox{p.X + 11, p.X + 11 + w, p.Y - 8, p.Y + 8}},
			{p.X - 11, p.Y + 4, "end", labelBox{p.X - 11 - w, p.X - 11, p.Y - 8, p.Y + 8}},
			{p.X, p.Y - 13, "middle", labelBox{p.X - w/2, p.X + w/2, p.Y - 25, p.Y - 9}},
			{p.X, p.Y + 23, "middle", labelBox{p.X - w/2, p.X + w/2, p.Y + 11, p.Y + 27}},
			{p.X - 8, p.Y - 13, "start", labelBox{p.X - 8, p.X - 8 + w, p.Y - 25, p.Y - 9}},
			{p.X - 8, p.Y + 23, "start", labelBox{p.X - 8, p.X - 8 + w, p.Y + 11, p.Y + 27}},
		}
		best := options[0]
		for _, o := range options {
			if o.box.x1 <= chartWidth && o.box.x0 >= 0 && !overlapsAny(o.box, placed) {
				best = o
				break
			}
		}
		p.LabelX, p.LabelY, p.Anchor = best.x, best.y, best.anchor
		placed = append(placed, best.box)
	}
	return ps
}

func overlapsAny(b labelBox, placed []labelBox) bool {
	for _, o := range placed {
		if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
			return true
		}
	}
	return false
}

// latencyRow is one contestant's p50 and p95 bars.
type latencyRow struct {
	Label            string
	Y, Y95, Y50      float64 // row top, p95 bar top, p50 bar top
	P50W, P95W       float64
	P50Text, P95Text string
}

// latencyChart is the latency chart.
type latencyChart struct {
	Height     float64
	GridBottom float64
	Rows       []latencyRow
	Ticks      []axisTick
}

func newLatencyChart(rep domain.EvalReport) latencyChart {
	maxMS := 0.0
	for _, c := range rep.Contestants {
		maxMS = math.Max(maxMS, msOf(c.LatencyP95))
	}
	top := niceCeil(maxMS)
	scale := func(v float64) float64 { return v / top * (plotRight - labelWidth) }
	h := chartTop + float64(len(rep.Contestants))*rowHeight + chartBottom
	c := latencyChart{Height: h, GridBottom: h - chartBottom + 4}
	for i, r := range rep.Contestants {
		p50, p95 := msOf(r.LatencyP50), msOf(r.LatencyP95)
		c.Rows = append(c.Rows, latencyRow{Label: r.Name, Y: chartTop + float64(i)*rowHeight,
			Y95: chartTop + float64(i)*rowHeight + 6, Y50: chartTop + float64(i)*rowHeight + 11,
			P50W: scale(p50), P95W: scale(p95), P50Text: msText(p50), P95Text: msText(p95)})
	}
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		c.Ticks = append(c.Ticks, axisTick{X: labelWidth + scale(v), Y: c.Height - chartBottom + 16, Label: msText(v)})
	}
	return c
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten (1 for 0).
func niceCeil(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }

func msText(ms float64) string {
	switch {
	case ms >= 1000:
		return fmt.Sprintf("%.1f s", ms/1000)
	case ms >= 10 || ms == 0:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.1f ms", ms)
}

func costText(v float64, priced bool) string {
	if !priced {
		return fmt.Sprintf("%.0f", v)
	}
	if v < 0.01 {
		return fmt.Sprintf("$%.5f", v)
	}
	return fmt.Sprintf("$%.3f", v)
}
