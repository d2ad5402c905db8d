package readme_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chorus-ai/chorus/test/readme"
)

func TestMarkedBlocks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		doc     string
		want    []readme.Block
		wantErr string
	}{
		{
			name: "only marked bash blocks are returned, with their fence line",
			doc:  "# t\n```bash\nnot marked\n```\n<!-- readme-test -->\n\n```bash\necho a\necho b\n```\n",
			want: []readme.Block{{Line: 7, Script: "echo a\necho b\n"}},
		},
		{
			name:    "a marker before a non-bash block is an error",
			doc:     "<!-- readme-test -->\n```json\n{}\n```\n",
			wantErr: "line 1",
		},
		{
			name:    "an unclosed marked block is an error",
			doc:     "<!-- readme-test -->\n```bash\necho a\n",
			wantErr: "never closed",
		},
		{
			name: "no markers yields no blocks",
			doc:  "```bash\nmake run\n```\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readme.MarkedBlocks(tt.doc)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestLinksSkipCodeAndSchemes(t *testing.T) {
	t.Parallel()
	doc := "See [a](docs/A.md), [b](#x-y) and ![i](docs/img/p.png) <img src=\"docs/p.png\">.\n" +
		"[web](https://example.com) [mail](mailto:a@b.c)\n```md\n[in code](nope.md)\n```\n"
	require.Equal(t, []string{"docs/A.md", "#x-y", "docs/img/p.png", "docs/p.png"}, readme.Links(doc))
}

func TestHeadingAnchorsFollowGitHub(t *testing.T) {
	t.Parallel()
	doc := "# Chorus\n## API 用法\n### 实时进度（思考面板）\n## 集成值得吗？（chorus eval）\n```bash\n# not a heading\n```\n## Notes\n## Notes\n"
	require.Equal(t, []string{"chorus", "api-用法", "实时进度思考面板", "集成值得吗chorus-eval", "notes", "notes-1"}, readme.HeadingAnchors(doc))
}

func TestFencedBlocksByLanguage(t *testing.T) {
	t.Parallel()
	doc := "```bash\necho\n```\n  ```toml\n  [server]\n  ```\n```toml\nport = 1\n```\n"
	require.Equal(t, []readme.Block{{Line: 4, Script: "  [server]\n"}, {Line: 7, Script: "port = 1\n"}}, readme.FencedBlocks(doc, "toml"))
}
