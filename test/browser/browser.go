package browser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// candidates are the executables tried, in order, after $CHROMIUM.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Chromium returns the browser executable: $CHROMIUM when set, else the
// first of the usual names found. It skips the test when none is found,
// except in CI where that is a failure.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "no Chromium found (tried $CHROMIUM, " + strings.Join(candidates, ", ") +
		"); install Debian's chromium package (.ci/run does) to run the browser tests"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Page is one headless browser tab; it collects the page's console errors
// and uncaught exceptions from the moment it opens.
type Page struct {
	// Ctx runs chromedp actions on the tab.
	Ctx context.Context
	t   testing.TB

	mu      sync.Mutex
	console []string
}

// Open starts a headless Chromium with a width×height viewport and returns
// its tab. The browser is stopped when the test ends; a test that hangs is
// cut by the timeout.
func Open(t testing.TB, width, height int, timeout time.Duration) *Page {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)),
		chromedp.WindowSize(width, height),
		chromedp.Flag("hide-scrollbars", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root (containers, CI)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	p := &Page{Ctx: ctx, t: t}
	// Console starts the browser and subscribes before any navigation, so
	// no message of the page is lost.
	messages := chromedp.Console(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.mu.Lock()
				p.console = append(p.console, m.String())
				p.mu.Unlock()
			}
		}
	})
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		wg.Wait()
	})
	// A headless window is never narrower than about 500 px, so a phone
	// width needs the viewport emulated: the page then lays out (and the
	// screenshots show) exactly width×height CSS pixels.
	p.Do(chromedp.EmulateViewport(int64(width), int64(height)))
	return p
}

// Do runs the actions in order and fails the test on the first error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.Ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v (console errors: %q)", err, p.ConsoleErrors())
	}
}

// Eval evaluates a JavaScript expression and decodes its value into T.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("browser: evaluate %q: %v", expr, err)
	}
	return v
}

// ConsoleErrors returns the console errors and uncaught exceptions seen so
// far.
func (p *Page) ConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// Screenshot saves a full-page PNG named name.png under ArtifactDir and
// returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	png, err := chromedp.Run(p.Ctx, chromedp.FullScreenshot(100)) // quality 100 = PNG
	if err != nil {
		p.t.Fatalf("browser: screenshot %s: %v", name, err)
	}
	path := filepath.Join(ArtifactDir(p.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("browser: save screenshot: %v", err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// ArtifactDir is where a test's screenshots go: $CHORUS_ARTIFACTS/<test>
// when set (CI uploads it), else <os temp dir>/chorus-artifacts/<test>. It
// survives the test so a human can look at the files; the path is logged.
func ArtifactDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv("CHORUS_ARTIFACTS")
	if root == "" {
		root = filepath.Join(os.TempDir(), "chorus-artifacts")
	}
	dir := filepath.Join(root, unsafeName.ReplaceAllString(t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browser: artifact dir: %v", err)
	}
	return dir
}
