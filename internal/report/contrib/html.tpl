<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8"/>
    <title>{{ if . }}{{ (index . 0).Target | escapeXML }} - {{ end }}trawl report - {{ now | date "2006-01-02 15:04:05 MST" }}</title>
    <style>
      * { font-family: Arial, Helvetica, sans-serif; }
      h1 { text-align: center; }
      .group-header th { font-size: 150%; }
      .sub-header th { font-size: 110%; }
      table, th, td { border: 1px solid black; border-collapse: collapse; white-space: nowrap; padding: .3em; }
      table { margin: 0 auto; }
      .severity { text-align: center; font-weight: bold; color: #fafafa; }
      .severity-LOW .severity { background-color: #5fbb31; }
      .severity-MEDIUM .severity { background-color: #e9c600; }
      .severity-HIGH .severity { background-color: #ff8800; }
      .severity-CRITICAL .severity { background-color: #e40000; }
      .severity-UNKNOWN .severity { background-color: #747474; }
      .links a { display: block; }
      .description { white-space: normal; max-width: 40em; }
    </style>
  </head>
  <body>
    <h1>{{ if . }}{{ (index . 0).Target | escapeXML }} - {{ end }}trawl {{ appVersion | escapeXML }} report - {{ now | date "2006-01-02 15:04:05 MST" }}</h1>
    <table>
    {{- range . }}
      <tr class="group-header"><th colspan="6">{{ .Type | escapeXML }}</th></tr>
      {{- if .Vulnerabilities }}
      <tr class="sub-header">
        <th>Package</th>
        <th>Vulnerability ID</th>
        <th>Severity</th>
        <th>Installed Version</th>
        <th>Fixed Version</th>
        <th>Links</th>
      </tr>
        {{- range .Vulnerabilities }}
      <tr class="severity-{{ .Severity | escapeXML }}">
        <td class="pkg-name">{{ .PkgName | escapeXML }}</td>
        <td>{{ .VulnerabilityID | escapeXML }}</td>
        <td class="severity">{{ .Severity | escapeXML }}</td>
        <td class="pkg-version">{{ .InstalledVersion | escapeXML }}</td>
        <td>{{ .FixedVersion | escapeXML }}</td>
        <td class="links">{{ if .PrimaryURL }}<a href="{{ .PrimaryURL | escapeXML }}">{{ .PrimaryURL | escapeXML }}</a>{{ end }}{{ range .References }}<a href="{{ . | escapeXML }}">{{ . | escapeXML }}</a>{{ end }}</td>
      </tr>
        {{- end }}
      {{- else if not .Secrets }}
      <tr><th colspan="6">No Vulnerabilities found in {{ .Target | escapeXML }}</th></tr>
      {{- end }}
      {{- if .Secrets }}
      <tr class="sub-header">
        <th>Rule</th>
        <th>Title</th>
        <th>Severity</th>
        <th>Lines</th>
        <th>Category</th>
        <th>Match</th>
      </tr>
        {{- range .Secrets }}
      <tr class="severity-{{ .Severity | escapeXML }}">
        <td>{{ .RuleID | escapeXML }}</td>
        <td class="description">{{ .Title | escapeXML }}</td>
        <td class="severity">{{ .Severity | escapeXML }}</td>
        <td>{{ .StartLine }}-{{ .EndLine }}</td>
        <td>{{ .Category | escapeXML }}</td>
        <td>{{ .Match | escapeXML }}</td>
      </tr>
        {{- end }}
      {{- end }}
    {{- else }}
      <tr><th>Empty report</th></tr>
    {{- end }}
    </table>
  </body>
</html>
