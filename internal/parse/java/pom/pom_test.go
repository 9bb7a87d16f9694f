package pom

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const happy = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.parent</groupId>
    <artifactId>parent</artifactId>
    <version>7</version>
  </parent>
  <artifactId>app</artifactId>
  <version>${revision}</version>
  <licenses><license><name>Apache-2.0</name></license></licenses>
  <properties>
    <revision>1.0.${patch}</revision>
    <patch>3</patch>
    <jackson.version>2.9.1</jackson.version>
    <loop>${loop}</loop>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.managed</groupId>
        <artifactId>managed</artifactId>
        <version>4.5.6</version>
        <scope>runtime</scope>
      </dependency>
      <dependency>
        <groupId>org.bom</groupId>
        <artifactId>bom</artifactId>
        <version>1</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.managed</groupId>
      <artifactId>managed</artifactId>
    </dependency>
    <dependency><groupId>${project.groupId}</groupId><artifactId>sibling</artifactId><version>${project.version}</version></dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>javax.servlet</groupId>
      <artifactId>servlet-api</artifactId>
      <version>4.0.1</version>
      <scope>provided</scope>
    </dependency>
    <dependency>
      <groupId>opt</groupId>
      <artifactId>opt</artifactId>
      <version>1</version>
      <optional>true</optional>
    </dependency>
    <dependency>
      <groupId>from.parent</groupId>
      <artifactId>unresolved</artifactId>
      <version>${parent.only.prop}</version>
    </dependency>
    <dependency>
      <groupId>no</groupId>
      <artifactId>version</artifactId>
    </dependency>
    <dependency>
      <groupId>loop</groupId>
      <artifactId>loop</artifactId>
      <version>${loop}</version>
    </dependency>
  </dependencies>
  <build><plugins><plugin><groupId>p</groupId><artifactId>p</artifactId><version>1</version>
    <dependencies><dependency><groupId>plugin</groupId><artifactId>dep</artifactId><version>1</version></dependency></dependencies>
  </plugin></plugins></build>
  <profiles><profile><dependencies><dependency><groupId>prof</groupId><artifactId>dep</artifactId><version>1</version></dependency></dependencies></profile></profiles>
</project>
`

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string // "ID relationship dev start-end"
		warnings int
		wantErr  bool
	}{
		{
			name: "happy", in: happy,
			want: []string{
				"org.parent:app@1.0.3 root false 0-0",
				"com.fasterxml.jackson.core:jackson-databind@2.9.1 direct false 36-40",
				"junit:junit@4.13.2 direct true 46-51",
				"org.managed:managed@4.5.6 direct false 41-44",
				"org.parent:sibling@1.0.3 direct false 45-45",
			},
			warnings: 3,
		},
		{
			name: "unresolved project version", in: `<project><groupId>g</groupId><artifactId>a</artifactId><version>${x}</version>
<dependencies><dependency><groupId>d</groupId><artifactId>d</artifactId><version>1</version></dependency></dependencies></project>`,
			want:     []string{"d:d@1 direct false 2-2"},
			warnings: 1,
		},
		{name: "empty project", in: `<project/>`},
		{name: "not a pom", in: `<settings><x/></settings>`, wantErr: true},
		{name: "broken", in: `<project><dependencies><dependency>`, wantErr: true},
		{name: "empty", in: ``, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse(context.Background(), []byte(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Parse = %+v, want error", res)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []string
			for _, p := range res.Packages {
				s, e := 0, 0
				if len(p.Locations) == 1 {
					s, e = p.Locations[0].StartLine, p.Locations[0].EndLine
				}
				got = append(got, fmt.Sprintf("%s %s %v %d-%d", p.ID, p.Relationship, p.Dev, s, e))
				if p.Ecosystem != Ecosystem || p.ID != p.Name+"@"+p.Version {
					t.Errorf("bad package %+v", p)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if len(res.Warnings) != tt.warnings {
				t.Errorf("warnings = %q, want %d", res.Warnings, tt.warnings)
			}
			if tt.name == "happy" {
				root := res.Packages[0]
				if strings.Join(root.DependsOn, ",") != "com.fasterxml.jackson.core:jackson-databind@2.9.1,org.managed:managed@4.5.6,org.parent:sibling@1.0.3" {
					t.Errorf("root DependsOn = %v", root.DependsOn)
				}
				if len(root.Licenses) != 1 || root.Licenses[0] != "Apache-2.0" {
					t.Errorf("root licenses = %v", root.Licenses)
				}
			}
		})
	}
}

func TestExpandBlowUp(t *testing.T) {
	var b strings.Builder
	b.WriteString("<project><groupId>g</groupId><artifactId>a</artifactId><version>${p0}</version><properties>")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "<p%d>${p%d}${p%d}</p%d>", i, i+1, i+1, i)
	}
	b.WriteString("</properties></project>")
	res, err := Parse(context.Background(), []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Packages) != 0 || len(res.Warnings) != 1 {
		t.Errorf("Parse = %+v, want no package and one warning", res)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(happy))
	f.Add([]byte(`<project><version>${a}</version><properties><a>${b}</a><b>1</b></properties></project>`))
	f.Add([]byte(`<project/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Parse(context.Background(), b)
		if err != nil {
			return
		}
		for _, p := range res.Packages {
			if strings.Contains(p.Version, "${") || p.Version == "" {
				t.Fatalf("unresolved version reported: %+v", p)
			}
		}
	})
}
