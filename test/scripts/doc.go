// Package scripts holds the test that runs the manual regression scripts in
// /scripts against the real chorus binary, so they cannot rot.
package scripts
