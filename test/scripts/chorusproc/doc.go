// Package chorusproc builds the real chorus binary and runs it as a child
// process on a free loopback port, for the black-box tests that drive it the
// way a user does: the regression scripts, the README commands and the
// OpenAPI-generated client.
package chorusproc
