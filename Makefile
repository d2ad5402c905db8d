# Chorus — every development step has a target; `make help` lists them.
GO        ?= go
TOOLS     := $(GO) tool -modfile=tools/go.mod
BIN       := bin/chorus
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
FUZZTIME  ?= 2000x

.PHONY: help build run test test-unit test-e2e test-node test-deployments fuzz lint golangci vet fmt-check vuln generate bench e2e-jaeger docker clean

help: ## list targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-18s %s\n", $$1, $$2}'

build: ## build bin/chorus
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/chorus

run: build ## run the offline demo (echo provider) on 127.0.0.1:11435 (PORT=N for another port)
	./$(BIN) --demo $(if $(PORT),--port $(PORT))

test: test-unit test-deployments fuzz ## every test a fresh machine can run (race detector on)

# The tests that run the chorus binary use this one (built once, relinked only
# when the code changed) instead of each linking a copy of their own.
TEST_BIN_ENV := CHORUS_TEST_BIN=$(CURDIR)/$(BIN)

test-unit: build ## unit, integration, contract and e2e tests of the service module
	$(TEST_BIN_ENV) $(GO) test -race -count=1 ./...

test-e2e: build ## the black-box suite plus the wall-clock load tests (fault mix, hostile upstreams) make test skips
	$(TEST_BIN_ENV) CHORUS_LOAD_TESTS=1 $(GO) test -race -count=1 ./test/... ./internal/bootstrap/

test-node: ## real Node clients (openai-node, ollama-js, AI SDK, LangChain) against a demo Chorus (node >= 20, npm)
	bash scripts/test-node-clients.sh

test-deployments: build ## strict decoding of the Kubernetes manifests and the kustomize build
	cd deployments && $(TEST_BIN_ENV) $(GO) test -count=1 ./...

fuzz: ## run each fuzz target briefly beyond its committed seed corpus (FUZZTIME=Nx executions, or a duration)
	FUZZTIME=$(FUZZTIME) GO='$(GO)' bash scripts/fuzz.sh

lint: fmt-check vet golangci vuln ## gofmt check, go vet, golangci-lint (depguard arrows), govulncheck (offline database)

golangci:
	$(TOOLS) golangci-lint run ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

vuln: ## govulncheck against an offline copy of the Go vulnerability database (cached)
	bash scripts/vuln.sh

generate: ## regenerate mocks and the OpenAPI client
	$(GO) generate ./...

bench: build ## engine/adapter micro-benchmarks, then the load scenarios against bin/chorus (< 5 min)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...
	BENCH_NO_BUILD=1 bash scripts/bench.sh

e2e-jaeger: ## real Jaeger v2 receives a workflow trace (first run builds Jaeger: ~12 min; cached after)
	bash scripts/e2e-jaeger.sh

docker: ## build the container image (needs a Docker engine)
	docker build -f deployments/docker/Dockerfile -t chorus:$(VERSION) .

clean:
	rm -rf bin
