package playground

import (
	"os"
	"testing"

	"github.com/chorus-ai/chorus/test/scripts/chorusproc"
)

// env holds the chorus binary every test of the package starts.
var env chorusproc.Env

func TestMain(m *testing.M) { os.Exit(chorusproc.MainBuilt(m, &env)) }
