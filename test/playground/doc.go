// Package playground drives the /ui page of the real chorus binary (built
// from ./cmd/chorus and started as a user starts it) in a headless Chromium:
// the offline demo shows the whole ensemble, and a config with one failing
// worker shows that worker's failed call. Screenshots of a desktop and a
// 390 px phone viewport are saved under the path each test logs (see
// test/browser.ArtifactDir).
package playground
