package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const tmpl = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: dev
  NoDefault:
    Type: String
Mappings:
  M:
    dev: {Alg: AES256}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Unk: !Equals [!Ref NoDefault, x]
  Both: !Or [!Condition Unk, !Condition NotProd]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Ref: !Ref Env
      Sub: !Sub "${Env}-${AWS::Partition}-${!Lit}"
      SubVars: {"Fn::Sub": ["${X}", {X: !Ref Env}]}
      SubUnknown: !Sub "${AWS::Region}"
      Att: !GetAtt Other.Arn
      RefRes: !Ref Other
      If: !If [IsProd, a, b]
      IfUnknown: !If [Unk, a, b]
      IfOr: !If [Both, a, b]
      Gone: !If [NotProd, !Ref AWS::NoValue, x]
      Join: !Join ["-", [a, !Ref Env, 1]]
      Select: !Select [1, !Split [",", "x,y,z"]]
      Map: !FindInMap [M, !Ref Env, Alg]
      NoDef: !Ref NoDefault
  Other:
    Type: AWS::S3::Bucket
    Condition: IsProd
`

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params map[string]any
		want   map[string]any
		ids    []string
	}{
		{"defaults", nil, map[string]any{
			"Ref": "dev", "Sub": "dev-aws-${Lit}", "SubVars": "dev", "SubUnknown": Unknown{}, "Att": Unknown{Ref: "Other"},
			"RefRes": Unknown{Ref: "Other"}, "If": "b", "IfUnknown": Unknown{}, "IfOr": "a",
			"Join": "a-dev-1", "Select": "y", "Map": "AES256", "NoDef": Unknown{},
		}, []string{"B"}},
		{"params", map[string]any{"Env": "prod", "NoDefault": "x"}, map[string]any{
			"Ref": "prod", "Sub": "prod-aws-${Lit}", "SubVars": "prod", "SubUnknown": Unknown{}, "Att": Unknown{Ref: "Other"},
			"RefRes": Unknown{Ref: "Other"}, "If": "a", "IfUnknown": "a", "IfOr": "a", "Gone": "x",
			"Join": "a-prod-1", "Select": "y", "Map": Unknown{}, "NoDef": "x",
		}, []string{"B", "Other"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse([]byte(tmpl), tc.params)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range tp.Resources {
				ids = append(ids, r.ID)
			}
			if diff := cmp.Diff(tc.ids, ids); diff != "" {
				t.Errorf("resources: %s", diff)
			}
			got := tp.Resources[0].Properties
			delete(got, MetadataKey)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("properties (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "a: [", "Resources: 3", "Resources: {A: {Properties: {}}}", "Resources: {A: {Type: !Ref [}}"} {
		if _, err := Parse([]byte(in), nil); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestLines(t *testing.T) {
	tp, err := Parse([]byte("{\n \"Resources\": {\n  \"A\": {\n   \"Type\": \"AWS::EC2::Volume\",\n   \"Properties\": {\n    \"Encrypted\": false\n   }\n  }\n }\n}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := tp.Resources[0]
	kl := r.Properties[MetadataKey].(map[string]any)["keylines"].(map[string]any)
	if r.StartLine != 3 || r.EndLine != 6 || !cmp.Equal(kl["Encrypted"], []any{6, 6}) {
		t.Errorf("lines %d-%d, Encrypted %v", r.StartLine, r.EndLine, kl["Encrypted"])
	}
}

// TestMalformedFunctions: malformed intrinsic functions and condition
// cycles are unknown values, never an error or a panic.
func TestMalformedFunctions(t *testing.T) {
	for _, v := range []string{
		"!If [C]", "!If [Loop, a, b]", "!Select [x, [a]]", "!Select [5, [a]]", "!Join a", "!Join [',', a]",
		"!Sub [1]", "!Sub '${Missing}'", "!FindInMap [a]", "!Split [',', !GetAtt X.Y]", "!GetAtt", "!Equals [a]",
		"{'Fn::Unknown': 1}", "!Ref [a]",
	} {
		in := "Conditions:\n  Loop: !Not [!Condition Loop2]\n  Loop2: !And [!Condition Loop]\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: " + v + "\n"
		tp, err := Parse([]byte(in), nil)
		if err != nil {
			t.Errorf("%s: %v", v, err)
			continue
		}
		if p := tp.Resources[0].Properties["P"]; !isUnknown(p) {
			t.Errorf("%s: %#v, want Unknown", v, p)
		}
	}
}
