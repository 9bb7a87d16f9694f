package match

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/trawlsec/trawl/pkg/model"
)

// cocoaPodsRepos is the table of common pods and the source repository
// their podspec names, one "<pod> <repository>" pair a line ("#" starts a
// comment). OSV has no CocoaPods ecosystem: advisories for a pod are
// published under SwiftURL, keyed by its repository.
//
//go:embed data/cocoapods-repos.txt
var cocoaPodsRepos string

// podRepos parses cocoaPodsRepos once.
var podRepos = sync.OnceValue(func() map[string]string { return parsePodRepos(cocoaPodsRepos) })

// parsePodRepos reads the pod table: blank lines and "#" comments are
// skipped, as are lines that are not two fields.
func parsePodRepos(text string) map[string]string {
	m := map[string]string{}
	for line := range strings.Lines(text) {
		line, _, _ = strings.Cut(line, "#")
		if f := strings.Fields(line); len(f) == 2 {
			m[f[0]] = f[1]
		}
	}
	return m
}

// podRepository returns the repository a pod's advisories are published
// under in OSV's SwiftURL ecosystem ("github.com/Alamofire/Alamofire"):
// the git repository Podfile.lock fetched it from (SrcName), else the
// table's entry for its root pod (subspecs "Firebase/Core" belong to
// "Firebase"); "" when neither knows it.
func podRepository(p *model.Package) string {
	if p.SrcName != "" {
		return p.SrcName
	}
	root, _, _ := strings.Cut(p.Name, "/")
	return podRepos()[root]
}
