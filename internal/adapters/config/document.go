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
// check. Unknown keys and wrong types are recorded in shape and removed from
// k, so decoding into rawConfig cannot fail on them and the later checks
// (values, workflow references) still run: the user sees every problem of
// the file in one pass.
type document struct {
	path  string // "" for the embedded demo config
	k     *koanf.Koanf
	pos   positions
	shape *problems
}

// parseDocument parses src with koanf's TOML parser and checks every key
// against the schema. Only a TOML syntax error stops here (there is nothing
// to check after it); it comes back as a *ValidationError.
func parseDocument(path string, src []byte) (*document, error) {
	ps := &problems{file: path, pos: locate(src)}
	k := koanf.New(".")
	if err := k.Load(rawbytes.Provider(src), toml.Parser()); err != nil {
		ps.add("%s", tomlErrorText(ps.fileName(), err))
		return nil, ps.err()
	}
	doc := k.Raw()
	checkShape(doc, ps)
	// The shape check normalized the alternative forms and dropped what it
	// rejected; reload the cleaned map so the typed decode sees one shape.
	clean := koanf.New(".")
	if err := clean.Load(mapProvider(doc), nil); err != nil {
		return nil, fmt.Errorf("config: normalize %s: %w", path, err)
	}
	return &document{path: path, k: clean, pos: ps.pos, shape: ps}, nil
}

// mapProvider hands an already parsed map to koanf.
type mapProvider map[string]any

// ReadBytes is not supported: the map is already parsed.
func (m mapProvider) ReadBytes() ([]byte, error) {
	return nil, errors.New("config: mapProvider has no bytes")
}

// Read returns the map itself.
func (m mapProvider) Read() (map[string]any, error) { return m, nil }

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
