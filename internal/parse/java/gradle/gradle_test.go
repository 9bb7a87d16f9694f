package gradle

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // "ID lines"
		wantErr bool
	}{
		{
			name: "happy",
			in: "# This is a Gradle generated file for dependency locking.\n" +
				"cglib:cglib-nodep:2.1.2=testRuntimeClasspath,classpath\n" +
				"junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n" +
				" org.springframework:spring-asm:3.1.3.RELEASE=classpath\n" +
				" # io.grpc:grpc-api:1.21.1=classpath\n" +
				"broken-line\n" +
				"a:b=x\n" +
				"junit:junit:4.13.2=other\n" +
				"empty=\n",
			want: []string{"cglib:cglib-nodep@2.1.2 [{2 2}]", "junit:junit@4.13.2 [{3 3} {8 8}]", "org.springframework:spring-asm@3.1.3.RELEASE [{4 4}]"},
		},
		{name: "empty", in: "# comment\nempty=incomingCatalog"},
		{name: "nothing", in: ""},
		{name: "line too long", in: strings.Repeat("x", 2<<20), wantErr: true},
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
				got = append(got, fmt.Sprintf("%s %v", p.ID, p.Locations))
				if p.Ecosystem != Ecosystem || p.ID != p.Name+"@"+p.Version {
					t.Errorf("bad package %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a:b:1=c\n# x\nempty=\n"))
	f.Add([]byte("g:a:v\r\ng:a:v=x,y\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pkgs, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if p.Name == "" || p.Version == "" || len(p.Locations) == 0 {
				t.Fatalf("bad package %+v", p)
			}
		}
	})
}
