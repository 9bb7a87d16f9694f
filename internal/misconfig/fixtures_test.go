package misconfig

import (
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/inventory"
)

var update = flag.Bool("update", false, "rewrite testdata/fixtures/expected.json")

// fixturesDir holds one folder per built-in check,
// <type>/<ID>/{fail,pass}[-name].<ext>: every fail file must fail the
// check, every pass file must not. expected.json is the golden list of
// every file's failed check IDs (regenerate with -update, then read the
// diff); internal/cli checks that `trawl config` over the folder reports
// the same.
const fixturesDir = "testdata/fixtures"

// fixtureType is the input type of a fixture file, by name: *.compose.yaml
// (or .yml) is a Compose file (internal/cli scans the folder with
// --file-patterns for them), *.cf.yaml/.yml/.json a CloudFormation
// template (found by its AWSTemplateFormatVersion), *.arm.json an ARM
// template (found by its $schema), other .yaml/.yml/.json a Kubernetes
// manifest.
func fixtureType(name string) string {
	if strings.HasSuffix(name, ".compose.yaml") || strings.HasSuffix(name, ".compose.yml") {
		return TypeCompose
	}
	if strings.HasSuffix(name, ".arm.json") {
		return TypeAzureARM
	}
	for _, ext := range []string{".cf.yaml", ".cf.yml", ".cf.json"} {
		if strings.HasSuffix(name, ext) {
			return TypeCloudFormation
		}
	}
	switch path.Ext(name) {
	case ".tf", ".tfvars":
		return TypeTerraform
	case ".yaml", ".yml", ".json":
		return TypeKubernetes
	case ".Dockerfile":
		return TypeDockerfile
	}
	return ""
}

// FixtureFailures scans every fixture file under dir and returns, per
// slash path relative to dir, the sorted IDs of the checks it fails.
func fixtureFailures(t *testing.T, e *Engine, dir string) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	var tf []inventory.ConfigFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "expected.json" {
			return err
		}
		typ := fixtureType(d.Name())
		if typ == "" {
			t.Errorf("%s: not a fixture name (fail*/pass* with .Dockerfile, .compose.yaml, .yaml, .yml or .json)", p)
			return nil
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if typ == TypeTerraform {
			// The .tf files of a folder are one module: scanned together
			// below, as the terraform detector does.
			tf = append(tf, inventory.ConfigFile{Type: typ, FilePath: rel, Content: content})
			return nil
		}
		r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: typ, FilePath: rel, Content: content})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		ids := failedIDs(r)
		slices.Sort(ids)
		got[rel] = slices.Compact(ids)
		if got[rel] == nil {
			got[rel] = []string{}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	frs, _, err := e.ScanTerraform(context.Background(), tf, TerraformOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range frs {
		ids := failedIDs(fr.Result)
		slices.Sort(ids)
		got[fr.File] = slices.Compact(ids)
		if got[fr.File] == nil {
			got[fr.File] = []string{}
		}
	}
	return got
}

// terraformOnly are the AWS checks whose subject CloudFormation cannot
// express, with the reason: they have Terraform fixtures only. Adding an
// ID here is a claim about CloudFormation, not a way to skip fixtures.
var terraformOnly = map[string]string{
	"AWS-0056": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0058": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0059": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0060": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0061": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0062": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0063": "aws_iam_account_password_policy: no CloudFormation resource",
	"AWS-0170": "MFA delete is set through the API by the root user, not by AWS::S3::Bucket",
	"AWS-0173": "aws_default_security_group: no CloudFormation resource manages a VPC's default group",
}

// fixtureDirs are the fixture folders of a check's input selector type:
// the cloud checks' fixtures are Terraform files and CloudFormation
// templates (AWS; Terraform only for terraformOnly), ARM templates
// (Azure, folder "arm") or Terraform only (Google: no other format has
// its resources), each with failing and passing fixtures.
func fixtureDirs(c Check, typ string) []string {
	if typ == TypeCloud {
		switch c.Provider {
		case "azure":
			return []string{TypeTerraform, "arm"}
		case "google":
			return []string{TypeTerraform}
		}
		if _, ok := terraformOnly[c.ID]; ok {
			return []string{TypeTerraform}
		}
		return []string{TypeTerraform, TypeCloudFormation}
	}
	return []string{typ}
}

// TestFixtures: every built-in check has a folder with at least one
// failing and one passing fixture, each behaves as its name says, and
// the failures of all files match expected.json exactly.
func TestFixtures(t *testing.T) {
	e := newEngine(t, Options{})
	got := fixtureFailures(t, e, fixturesDir)

	for _, c := range e.Checks() {
		if !strings.HasPrefix(c.Package, "builtin.") {
			continue
		}
		for _, typ := range c.Types {
			for _, dir := range fixtureDirs(c, typ) {
				var fails, passes int
				prefix := dir + "/" + c.ID + "/"
				// A fixture is a file or a folder (a Terraform module with
				// its modules): it fails the check when one of its files does.
				units := map[string][]string{}
				for rel, ids := range got {
					if rest, ok := strings.CutPrefix(rel, prefix); ok {
						unit, _, _ := strings.Cut(rest, "/")
						units[prefix+unit] = append(units[prefix+unit], ids...)
					}
				}
				for unit, ids := range units {
					switch base := path.Base(unit); {
					case strings.HasPrefix(base, "fail"):
						fails++
						if !slices.Contains(ids, c.ID) {
							t.Errorf("%s does not fail %s (fails %v)", unit, c.ID, ids)
						}
					case strings.HasPrefix(base, "pass"):
						passes++
						if slices.Contains(ids, c.ID) {
							t.Errorf("%s fails %s", unit, c.ID)
						}
					default:
						t.Errorf("%s: name it fail* or pass*", unit)
					}
				}
				if fails == 0 || passes == 0 {
					t.Errorf("check %s (%s): %d failing and %d passing fixtures under %s/%s, want at least one of each",
						c.ID, typ, fails, passes, fixturesDir, prefix)
				}
			}
		}
	}

	// terraformOnly names AWS checks only, and has no CloudFormation
	// fixtures that would then go unchecked.
	for id := range terraformOnly {
		c, ok := checkByID(e.Checks(), id)
		if !ok || c.Provider != "aws" {
			t.Errorf("terraformOnly: %s is not a built-in AWS check", id)
		}
		if _, err := os.Stat(filepath.Join(fixturesDir, TypeCloudFormation, id)); err == nil {
			t.Errorf("terraformOnly: %s has CloudFormation fixtures; remove it from the list", id)
		}
	}

	golden := filepath.Join(fixturesDir, "expected.json")
	if *update {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var want map[string][]string
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestFixtures -update)", err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatalf("%s: %v", golden, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failed checks per fixture (-%s +got); if the change is intended, run with -update:\n%s", golden, diff)
	}
}

func checkByID(cs []Check, id string) (Check, bool) {
	for _, c := range cs {
		if c.ID == id && strings.HasPrefix(c.Package, "builtin.") {
			return c, true
		}
	}
	return Check{}, false
}
