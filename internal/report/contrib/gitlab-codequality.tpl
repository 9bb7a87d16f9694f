[
{{- $first := true }}
{{- range . }}
{{- $target := .Target }}
{{- range .Vulnerabilities }}
  {{- if $first }}{{ $first = false }}{{ else }},{{ end }}
  {
    "type": "issue",
    "check_name": "container_scanning",
    "categories": ["Security"],
    "description": {{ printf "%s: %s@%s: %s" .VulnerabilityID .PkgName .InstalledVersion (default .VulnerabilityID .Title) | toJson }},
    "fingerprint": "{{ list .VulnerabilityID .PkgName .InstalledVersion $target | join "" | sha1sum }}",
    "content": {{ default .VulnerabilityID .Description | toJson }},
    "severity": {{ if eq .Severity "LOW" }}"minor"{{ else if eq .Severity "MEDIUM" }}"major"{{ else if eq .Severity "HIGH" }}"critical"{{ else if eq .Severity "CRITICAL" }}"blocker"{{ else }}"info"{{ end }},
    "location": {
      "path": {{ $target | toJson }},
      "lines": {
        "begin": 1
      }
    }
  }
{{- end }}
{{- range .Secrets }}
  {{- if $first }}{{ $first = false }}{{ else }},{{ end }}
  {
    "type": "issue",
    "check_name": "secret_detection",
    "categories": ["Security"],
    "description": {{ printf "%s: %s" .RuleID .Title | toJson }},
    "fingerprint": "{{ list .RuleID (printf "%d" .StartLine) $target | join "" | sha1sum }}",
    "content": {{ .Match | toJson }},
    "severity": {{ if eq .Severity "LOW" }}"minor"{{ else if eq .Severity "MEDIUM" }}"major"{{ else if eq .Severity "HIGH" }}"critical"{{ else if eq .Severity "CRITICAL" }}"blocker"{{ else }}"info"{{ end }},
    "location": {
      "path": {{ $target | toJson }},
      "lines": {
        "begin": {{ .StartLine }}
      }
    }
  }
{{- end }}
{{- end }}
]
