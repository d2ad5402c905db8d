// Package redis holds the real-Redis acceptance test of the shared state:
// a redis-server on a free loopback port and two chorus processes sharing
// the answer cache and the per-key rate limits through it.
package redis
