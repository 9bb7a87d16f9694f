<?xml version="1.0" ?>
<testsuites name="trawl">
{{- range . }}
{{- if or .Vulnerabilities (eq .Class "os-pkgs" "lang-pkgs") }}
{{- $failures := len .Vulnerabilities }}
    <testsuite tests="{{ $failures }}" failures="{{ $failures }}" name="{{ .Target | escapeXML }}" errors="0" skipped="0" time="">
    {{- if .Type }}
        <properties>
            <property name="type" value="{{ .Type | escapeXML }}"></property>
        </properties>
    {{- end }}
    {{- range .Vulnerabilities }}
        <testcase classname="{{ .PkgName | escapeXML }}-{{ .InstalledVersion | escapeXML }}" name="[{{ .Severity }}] {{ .VulnerabilityID | escapeXML }}" time="">
            <failure message="{{ .Title | escapeXML }}" type="description">{{ .Description | escapeXML }}</failure>
        </testcase>
    {{- end }}
    </testsuite>
{{- end }}
{{- if .Secrets }}
{{- $failures := len .Secrets }}
    <testsuite tests="{{ $failures }}" failures="{{ $failures }}" name="{{ .Target | escapeXML }}" errors="0" skipped="0" time="">
        <properties>
            <property name="type" value="secret"></property>
        </properties>
    {{- range .Secrets }}
        <testcase classname="{{ .RuleID | escapeXML }}" name="[{{ .Severity }}] {{ .Title | escapeXML }}" time="">
            <failure message="{{ .Title | escapeXML }}" type="description">{{ .Category | escapeXML }} secret at lines {{ .StartLine }}-{{ .EndLine }}: {{ .Match | escapeXML }}</failure>
        </testcase>
    {{- end }}
    </testsuite>
{{- end }}
{{- end }}
</testsuites>
