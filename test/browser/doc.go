// Package browser drives a real headless Chromium (Debian's chromium package,
// installed by .ci/run) through chromedp for end-to-end tests of the pages
// Chorus serves: it finds the executable, opens a page with console-error
// collection and saves screenshots as test artifacts.
//
// Outside CI a machine without Chromium skips these tests with a message
// saying what to install; in CI (CI=true) a missing Chromium fails them, so
// a broken runner cannot pass by skipping.
package browser
