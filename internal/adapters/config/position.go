package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// at is a 1-based line and column in a TOML file.
type at struct{ line, col int }

// positions maps a key path (see joinKey) to where the key is written.
type positions map[string]at

// joinKey appends one key segment to a path, quoting segments that are not
// bare TOML keys (domain hosts such as "api.example.com" contain dots).
func joinKey(path, seg string) string {
	if !isBareKey(seg) {
		seg = strconv.Quote(seg)
	}
	if path == "" {
		return seg
	}
	return path + "." + seg
}

// indexKey addresses element i of an array of tables.
func indexKey(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// locate records the position of every key, table header and array-table
// element of a TOML document. It is best effort: on a syntax error it
// returns what it found so far (the loader reports the syntax error itself).
func locate(src []byte) (pos positions) {
	pos = positions{}
	defer func() {
		// The parser's Shape panics on ranges outside the input; a missing
		// position must never turn into a crash.
		if recover() != nil {
			return
		}
	}()
	var p unstable.Parser
	p.Reset(src)
	counts := map[string]int{}
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			prefix, _ = keyPath(&p, e.Key(), "", pos)
		case unstable.ArrayTable:
			plain, last := keyPath(&p, e.Key(), "", pos)
			prefix = indexKey(plain, counts[plain])
			counts[plain]++
			pos.set(prefix, last)
		case unstable.KeyValue:
			locateKeyValue(&p, e, prefix, pos)
		}
	}
	return pos
}

// locateKeyValue records a key = value line and descends into inline tables
// and arrays of inline tables.
func locateKeyValue(p *unstable.Parser, kv *unstable.Node, prefix string, pos positions) {
	path, _ := keyPath(p, kv.Key(), prefix, pos)
	v := kv.Value()
	switch v.Kind {
	case unstable.InlineTable:
		locateInline(p, v, path, pos)
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); i++ {
			if n := it.Node(); n.Kind == unstable.InlineTable {
				el := indexKey(path, i)
				pos.set(el, pos[path])
				locateInline(p, n, el, pos)
			}
		}
	}
}

func locateInline(p *unstable.Parser, t *unstable.Node, path string, pos positions) {
	for it := t.Children(); it.Next(); {
		if n := it.Node(); n.Kind == unstable.KeyValue {
			locateKeyValue(p, n, path, pos)
		}
	}
}

// keyPath walks a dotted key, recording each intermediate path, and returns
// the full path with the position of its last segment.
func keyPath(p *unstable.Parser, it unstable.Iterator, prefix string, pos positions) (string, at) {
	path := prefix
	var last at
	for it.Next() {
		n := it.Node()
		path = joinKey(path, string(n.Data))
		s := p.Shape(n.Raw)
		last = at{line: s.Start.Line, col: s.Start.Column}
		pos.set(path, last)
	}
	return path, last
}

// set keeps the first position seen for a path (where it is defined).
func (pos positions) set(path string, a at) {
	if _, ok := pos[path]; !ok && a.line > 0 {
		pos[path] = a
	}
}

// sectionName renders a key path for messages: [server] for a table, the
// path itself for an element of an array of tables (model[1]: 0-based, the
// indexing style of every message).
func sectionName(path string) string {
	if path == "" {
		return "the top level"
	}
	if strings.HasSuffix(path, "]") {
		return path
	}
	return "[" + path + "]"
}

// nearest returns the position of key, else of its closest ancestor that
// has one (values inside plain arrays have no key of their own).
func (pos positions) nearest(key string) (at, bool) {
	for key != "" {
		if a, ok := pos[key]; ok {
			return a, true
		}
		key = parentKey(key)
	}
	return at{}, false
}

// parentKey strips the last segment or index of a key path.
func parentKey(key string) string {
	if strings.HasSuffix(key, "]") {
		if i := strings.LastIndexByte(key, '['); i >= 0 {
			return key[:i]
		}
	}
	inQuote := false
	last := -1
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case '\\':
			i++
		case '"':
			inQuote = !inQuote
		case '.':
			if !inQuote {
				last = i
			}
		}
	}
	if last < 0 {
		return ""
	}
	return key[:last]
}
