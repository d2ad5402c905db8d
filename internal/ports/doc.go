// Package ports declares the interfaces the app consumes (outbound: chat
// models) and offers (inbound: the gateway use case the HTTP adapter calls).
//
//go:generate go tool mockgen -source=llm.go -destination=mocks/llm.go -package=mocks
//go:generate go tool mockgen -source=inbound.go -destination=mocks/inbound.go -package=mocks
package ports
