package config

import (
	"errors"
	"fmt"

	"github.com/knadh/koanf/parsers/toml/v2"
	"github.com/knadh/koanf/providers/rawbytes"
	"github.com/knadh/koanf/v2"
	gotoml "github.com/pelletier/go-toml/v2"
)

// document is one configuration source after TOML parsing and the shape
// check: unknown keys and wrong types are already reported, so decoding into
// rawConfig cannot fail on them.
type document struct {
	path string // "" for the embedded demo config
	k    *koanf.Koanf
	pos  positions
}

// parseDocument parses src with koanf's TOML parser and checks every key
// against the schema. Every problem comes back as a *ValidationError.
func parseDocument(path string, src []byte) (*document, error) {
	ps := &problems{file: path, pos: locate(src)}
	k := koanf.New(".")
	if err := k.Load(rawbytes.Provider(src), toml.Parser()); err != nil {
		ps.add("%s", tomlErrorText(ps.fileName(), err))
		return nil, ps.err()
	}
	doc := k.Raw()
	checkShape(doc, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	// The shape check normalized the alternative forms; store them back so
	// the typed decode sees one shape only.
	for _, key := range []string{"model", "workflow-integration"} {
		if v, ok := doc[key]; ok {
			k.Delete(key)
			if err := k.Set(key, v); err != nil {
				return nil, fmt.Errorf("config: normalize %s: %w", key, err)
			}
		}
	}
	return &document{path: path, k: k, pos: ps.pos}, nil
}

// tomlErrorText renders a TOML syntax error as file:line:col: message.
func tomlErrorText(file string, err error) string {
	var de *gotoml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return fmt.Sprintf("%s:%d:%d: invalid TOML: %s", file, line, col, de.Error())
	}
	return fmt.Sprintf("%s: invalid TOML: %v", file, err)
}

// decode returns the typed view of the document on top of the defaults.
func (d *document) decode() (rawConfig, error) {
	raw := defaultRaw()
	if err := d.k.UnmarshalWithConf("", &raw, koanf.UnmarshalConf{Tag: "koanf"}); err != nil {
		return rawConfig{}, fmt.Errorf("config: decode %s: %w", d.path, err)
	}
	return raw, nil
}

// has reports whether the file sets the key path (koanf's flat form).
func (d *document) has(key string) bool { return d.k.Exists(key) }
