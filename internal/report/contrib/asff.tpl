{
    "Findings": [
    {{- $first := true }}
    {{- range . }}
        {{- $target := .Target }}
        {{- range .Vulnerabilities }}
        {{- if $first }}{{ $first = false }}{{ else }},{{ end }}
        {{- $severity := .Severity }}
        {{- if eq $severity "UNKNOWN" "" }}{{ $severity = "INFORMATIONAL" }}{{ end }}
        {{- $nvd := index .CVSS (sourceID "nvd") }}
        {
            "SchemaVersion": "2018-10-08",
            "Id": {{ printf "%s/%s/%s" $target .PkgID .VulnerabilityID | toJson }},
            "ProductArn": "arn:aws:securityhub:{{ env "AWS_REGION" }}:{{ env "AWS_ACCOUNT_ID" }}:product/{{ env "AWS_ACCOUNT_ID" }}/default",
            "GeneratorId": {{ printf "trawl/%s" .VulnerabilityID | toJson }},
            "AwsAccountId": "{{ env "AWS_ACCOUNT_ID" }}",
            "Types": [ "Software and Configuration Checks/Vulnerabilities/CVE" ],
            "CreatedAt": "{{ now | date "2006-01-02T15:04:05.999999999Z07:00" }}",
            "UpdatedAt": "{{ now | date "2006-01-02T15:04:05.999999999Z07:00" }}",
            "Severity": {
                "Label": "{{ $severity }}"
            },
            "Title": {{ printf "trawl found a vulnerability to %s in container %s" .VulnerabilityID $target | toJson }},
            "Description": {{ default .VulnerabilityID .Description | abbrev 1024 | toJson }},
            {{- if .PrimaryURL }}
            "Remediation": {
                "Recommendation": {
                    "Text": "More information on this vulnerability is provided in the hyperlink",
                    "Url": {{ .PrimaryURL | toJson }}
                }
            },
            {{- end }}
            "ProductFields": { "Product Name": "trawl" },
            "Resources": [
                {
                    "Type": "Container",
                    "Id": {{ $target | toJson }},
                    "Partition": "aws",
                    "Region": "{{ env "AWS_REGION" }}",
                    "Details": {
                        "Container": { "ImageName": {{ $target | toJson }} },
                        "Other": {
                            "CVE ID": {{ .VulnerabilityID | toJson }},
                            "CVE Title": {{ .Title | toJson }},
                            "PkgName": {{ .PkgName | toJson }},
                            "Installed Package": {{ .InstalledVersion | toJson }},
                            "Patched Package": {{ .FixedVersion | toJson }},
                            "NvdCvssScoreV3": "{{ $nvd.V3Score }}",
                            "NvdCvssVectorV3": {{ $nvd.V3Vector | toJson }},
                            "NvdCvssScoreV2": "{{ $nvd.V2Score }}",
                            "NvdCvssVectorV2": {{ $nvd.V2Vector | toJson }}
                        }
                    }
                }
            ],
            "RecordState": "ACTIVE"
        }
        {{- end }}
    {{- end }}
    ]
}
