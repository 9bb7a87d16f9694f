package misconfig

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trawlsec/trawl/pkg/inventory"
)

// TestCloudFormation: findings of the cloud checks on a template point at
// the property's lines (or the resource's when the property is not set),
// name the logical ID as the resource, the AWS provider and service, and
// --cf-params values override parameter defaults.
func TestCloudFormation(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Encrypt:
    Type: String
    Default: "false"
Resources:
  Disk:
    Type: AWS::EC2::Volume
    Properties:
      Size: 10
      Encrypted: !Ref Encrypt
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      BackupRetentionPeriod: 7
      EnablePerformanceInsights: true
      EnableIAMDatabaseAuthentication: true
      DeletionProtection: true
`
	for _, tt := range []struct {
		name   string
		params map[string]any
		want   []string
	}{
		{"defaults", nil, []string{
			"AWS-0026 Disk 11-11 AWS ec2 CloudFormation Security Check",
			"AWS-0080 Db 13-19 AWS rds CloudFormation Security Check",
		}},
		{"params", map[string]any{"Encrypt": "true"}, []string{
			"AWS-0080 Db 13-19 AWS rds CloudFormation Security Check",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, Options{CloudFormationParams: tt.params})
			r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeCloudFormation, FilePath: "t.yaml", Content: []byte(tmpl)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range r.Misconfigurations {
				cm := m.CauseMetadata
				got = append(got, fmt.Sprintf("%s %s %d-%d %s %s %s", m.ID, cm.Resource, cm.StartLine, cm.EndLine, cm.Provider, cm.Service, m.Type))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCloudFormationErrors: a file that is not a template is an error
// naming it, never a panic.
func TestCloudFormationErrors(t *testing.T) {
	e := newEngine(t, Options{})
	for _, in := range []string{"Resources: [", "a: b\n", "Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties: !GetAtt\n"} {
		_, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeCloudFormation, FilePath: "bad.yaml", Content: []byte(in)})
		if in == "Resources:\n  X:\n    Type: AWS::S3::Bucket\n    Properties: !GetAtt\n" {
			if err != nil {
				t.Errorf("%q: %v", in, err)
			}
			continue
		}
		if err == nil || err.Error()[:9] != "bad.yaml:" {
			t.Errorf("%q: error %v, want one naming bad.yaml", in, err)
		}
	}
}

// TestCloudFormationSAM: SAM resources are judged by the checks of the
// services they become, at the lines of the property, of Globals when the
// property comes from there, or of the resource when unset; a resource's
// own property wins over Globals; the implicit API of an Api event is an
// API whose stage has Globals.Api's access logging.
func TestCloudFormationSAM(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: PassThrough
Resources:
  FromGlobals:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Events:
        Get:
          Type: Api
          Properties:
            Path: /
            Method: get
  Own:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Tracing: Active
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: arn:aws:logs:eu-west-1:123456789012:log-group:api
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: prod
`
	e := newEngine(t, Options{})
	r, err := e.Scan(context.Background(), inventory.ConfigFile{Type: TypeCloudFormation, FilePath: "sam.yaml", Content: []byte(tmpl)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range r.Misconfigurations {
		cm := m.CauseMetadata
		got = append(got, fmt.Sprintf("%s %s %d-%d", m.ID, cm.Resource, cm.StartLine, cm.EndLine))
	}
	want := []string{
		"AWS-0001 FromGlobals 8-16", // the implicit ServerlessRestApi
		"AWS-0001 Http 29-31",
		"AWS-0066 FromGlobals 5-5",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
