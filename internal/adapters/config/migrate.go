package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/chorus-ai/chorus/internal/adapters/internal/atomicfile"
)

// Migrate converts a legacy configuration file (analyzer_model, worker_models,
// synthesizer_model under [workflow-integration]) to the workflow JSON form.
// It returns migrated=false and no bytes when the file is already in the
// current form, so running it twice is safe. With dryRun it only returns the
// new TOML (literal API keys masked, since it is meant to be printed);
// otherwise it keeps the original as <file>.bak (or <file>.bak.<unix> when
// that exists) and replaces the file atomically. nested_worker_depth,
// timeouts and domain overrides are kept; comments are not.
func Migrate(path string, dryRun bool) (newTOML []byte, migrated bool, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("migrate: %w", err)
	}
	backup := backupPath(path, time.Now())
	out, migrated, err := migrateBytes(path, src, backup, dryRun)
	if err != nil || !migrated || dryRun {
		return out, migrated, err
	}
	if err := writeMigration(path, src, out, backup); err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// migrateBytes builds the migrated document from src. It reports problems
// with the file's shape or the legacy keys as a *ValidationError.
func migrateBytes(path string, src []byte, backup string, mask bool) ([]byte, bool, error) {
	d, err := parseDocument(path, src)
	if err != nil {
		return nil, false, err
	}
	if err := d.shape.err(); err != nil {
		return nil, false, err
	}
	if !d.isLegacy() {
		return nil, false, nil
	}
	raw, err := d.decode()
	if err != nil {
		return nil, false, err
	}
	ps := &problems{file: path, pos: d.pos}
	planJSON, ok := legacyPlan(d, raw.Integration, ps)
	if !ok {
		return nil, false, ps.err()
	}
	doc := d.k.Raw()
	integ, _ := doc["workflow-integration"].(map[string]any)
	for _, k := range []string{legacyAnalyzerKey, legacyWorkersKey, legacySynthesizerKey} {
		delete(integ, k)
	}
	integ["json"] = planJSON + "\n"
	header := fmt.Sprintf("# Chorus 配置文件（已自动迁移：workflow json 格式）\n# 旧配置已备份到: %s\n", backup)
	if mask {
		header = fmt.Sprintf("# Chorus 配置文件（已自动迁移：workflow json 格式）\n# dry run: nothing written; the original would be kept as %s; literal API keys are masked here\n", backup)
		maskLiteralKeys(doc)
	}
	return encodeTOML(header, doc), true, nil
}

// maskLiteralKeys hides literal keys in a document about to be printed;
// ${NAME} references are kept since they hold no secret.
func maskLiteralKeys(doc map[string]any) {
	mask := func(v any) any {
		if s, ok := v.(string); ok && !envRef.MatchString(strings.TrimSpace(s)) && s != "" {
			return "********"
		}
		return v
	}
	maskIn := func(v any, key string) {
		if t, ok := v.(map[string]any); ok {
			if k, ok := t[key]; ok {
				t[key] = mask(k)
			}
		}
	}
	if models, ok := doc["model"].([]any); ok {
		for _, m := range models {
			maskIn(m, "api_key")
			if mm, ok := m.(map[string]any); ok {
				deployments, _ := mm["deployment"].([]any)
				for _, d := range deployments {
					maskIn(d, "api_key")
				}
			}
		}
	}
	maskIn(doc["state"], "redis_url")
	if server, ok := doc["server"].(map[string]any); ok {
		if keys, ok := server["api_keys"].([]any); ok {
			for i := range keys {
				keys[i] = mask(keys[i])
				maskIn(keys[i], "key")
			}
		}
	}
}

// backupPath is <file>.bak, or <file>.bak.<unix seconds> when that exists.
func backupPath(path string, now time.Time) string {
	bak := path + ".bak"
	if _, err := os.Lstat(bak); errors.Is(err, fs.ErrNotExist) {
		return bak
	}
	return fmt.Sprintf("%s.bak.%d", path, now.Unix())
}

// writeMigration copies the original to backup, then replaces path with
// out atomically (temporary file in the same directory + rename).
func writeMigration(path string, orig, out []byte, backup string) error {
	mode := fs.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	if err := writeNew(backup, orig, mode); err != nil {
		return fmt.Errorf("migrate: back up %s to %s: %w", path, backup, err)
	}
	if err := atomicfile.Write(path, out, mode); err != nil {
		return fmt.Errorf("migrate: write %s: %w", path, err)
	}
	return nil
}

// writeNew creates a file that must not exist yet.
func writeNew(path string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
