package sbt

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const happy = `{
  "lockVersion": 1,
  "configurations": ["compile", "runtime", "test"],
  "dependencies": [
    {"org": "org.apache.commons", "name": "commons-lang3", "version": "3.9", "configurations": ["test", "compile", "runtime"]},
    {"org": "org.scalatest", "name": "scalatest-core_2.13", "version": "3.2.15", "configurations": ["test"]},
    {"org": "org.typelevel", "name": "cats-core_2.12", "version": "2.9.0"},
    {"org": "org.typelevel", "name": "cats-core_2.12", "version": "2.9.0"},
    {"org": "", "name": "noorg", "version": "1"}
  ]
}`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "happy", in: happy, want: []string{"org.apache.commons:commons-lang3@3.9 false", "org.scalatest:scalatest-core_2.13@3.2.15 true", "org.typelevel:cats-core_2.12@2.9.0 false"}},
		{name: "empty", in: `{"lockVersion": 1, "dependencies": []}`},
		{name: "version 2", in: `{"lockVersion": 2}`, wantErr: true},
		{name: "invalid", in: `{"lockVersion": `, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkgs, err := Parse(context.Background(), []byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pkgs {
				got = append(got, fmt.Sprintf("%s %v", p.ID, p.Dev))
				if p.Ecosystem != Ecosystem {
					t.Errorf("bad ecosystem %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(happy))
	f.Add([]byte(`{"lockVersion":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.ID != p.Name+"@"+p.Version {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
