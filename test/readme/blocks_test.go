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
