{
  "version": "15.0.7",
  "scan": {
    "analyzer": {
      "id": "trawl",
      "name": "trawl",
      "url": "https://github.com/trawlsec/trawl",
      "vendor": {
        "name": "trawlsec"
      },
      "version": "{{ appVersion }}"
    },
    "end_time": "{{ now | date "2006-01-02T15:04:05" }}",
    "scanner": {
      "id": "trawl",
      "name": "trawl",
      "url": "https://github.com/trawlsec/trawl",
      "vendor": {
        "name": "trawlsec"
      },
      "version": "{{ appVersion }}"
    },
    "start_time": "{{ now | date "2006-01-02T15:04:05" }}",
    "status": "success",
    "type": "container_scanning"
  },
  "vulnerabilities": [
  {{- $first := true }}
  {{- range . }}
  {{- $target := .Target }}
  {{- $image := index (splitList " " $target) 0 }}
  {{- $os := "Unknown" }}
  {{- if eq .Class "os-pkgs" }}{{ $os = .Type }}{{ end }}
  {{- range .Vulnerabilities }}
    {{- if $first }}{{ $first = false }}{{ else }},{{ end }}
    {
      "id": {{ list $target .PkgID .VulnerabilityID | join "|" | sha256sum | toJson }},
      "severity": {{ if eq .Severity "UNKNOWN" "" }}"Unknown"{{ else }}{{ .Severity | lower | title | toJson }}{{ end }},
      "location": {
        "dependency": {
          "package": {
            "name": {{ .PkgName | toJson }}
          },
          "version": {{ .InstalledVersion | toJson }}
        },
        "operating_system": {{ $os | toJson }},
        "image": {{ $image | toJson }}
      },
      "identifiers": [
        {
          "type": {{ if hasPrefix "CVE-" .VulnerabilityID }}"cve"{{ else if hasPrefix "GHSA-" .VulnerabilityID }}"ghsa"{{ else }}"other"{{ end }},
          "name": {{ .VulnerabilityID | toJson }},
          "value": {{ .VulnerabilityID | toJson }}
          {{- if .PrimaryURL }},
          "url": {{ .PrimaryURL | toJson }}
          {{- end }}
        }
      ],
      "links": [
        {{- range $i, $ref := .References }}{{ if $i }},{{ end }}
        {
          "url": {{ $ref | toJson }}
        }
        {{- end }}
      ],
      "name": {{ default .VulnerabilityID .Title | toJson }},
      "description": {{ default .VulnerabilityID .Description | toJson }},
      "solution": {{ if .FixedVersion }}{{ printf "Upgrade %s to %s" .PkgName .FixedVersion | toJson }}{{ else }}"No solution provided"{{ end }}
    }
  {{- end }}
  {{- end }}
  ],
  "remediations": []
}
