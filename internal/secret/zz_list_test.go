package secret

import (
	"fmt"
	"testing"
)

func TestListFindings(t *testing.T) {
	s := builtinScanner(t)
	paths, contents, _ := loadTree(t, benchTree(t))
	for i, c := range contents {
		for _, f := range s.Scan(paths[i], c) {
			fmt.Printf("%s:%d %s %q\n", paths[i], f.StartLine, f.RuleID, f.Match)
		}
	}
}
