package secret

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// spec is the source form of a built-in rule. All built-in regexes are ours,
// written from the providers' documented token formats.
type spec struct {
	id, cat, title, sev string
	re                  string
	kw                  []string
	multiline           bool   // may span lines: run on the whole file
	path                string // optional path regexp
	valid               func(match, secret []byte) bool
	generic             bool     // yields to specific rules on the same secret
	exclude             []string // exclude-block regexps
	need                string   // a literal every match contains: windows without it are skipped
	// minEntropy is the least Shannon entropy (bits per byte) of the secret
	// part; only for free-form rules (no checksum, no fixed format).
	minEntropy float64
}

// Regexp building blocks.
const (
	// lb and rb bound a token so that it is not part of a longer word.
	lb = `(?:^|[^0-9A-Za-z_])`
	rb = `(?:[^0-9A-Za-z_\-]|$)`
	// assign joins a key to its value: "key": "v", key = 'v', key: v, key := v, key => v.
	assign = "[\"']?[ \\t]{0,16}(?:=>|:=|=|:)[ \\t]{0,16}[\"'`]?"
	// endq ends a keyed value.
	endq = "(?:[\"'`\\s,;)\\]}]|$)"
	// xmlComment is an XML comment: the samples in Maven's default
	// settings.xml live in one.
	xmlComment = `(?s)<!--.*?-->`
	uuid       = `[0-9a-h]{8}-[0-9a-h]{4}-[0-9a-h]{4}-[0-9a-h]{4}-[0-9a-h]{12}`
)

// tok matches a self-identifying token (a fixed prefix and a format).
func tok(inner string) string { return lb + `(?P<secret>` + inner + `)` + rb }

// keyed matches a value assigned to a key naming the provider.
func keyed(name, val string) string {
	return `(?i)(?:` + name + `)[a-z0-9_ .\-]{0,25}` + assign + `(?P<secret>` + val + `)` + endq
}

func builtinSpecs() []spec {
	return []spec{
		// AWS
		{id: "aws-access-key-id", cat: "AWS", sev: SeverityCritical, title: "AWS Access Key ID",
			re: lb + `(?P<secret>(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16})(?:[^0-9A-Za-z]|$)`,
			kw: []string{"AKIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ASIA", "A3T"}},
		{id: "aws-secret-access-key", cat: "AWS", sev: SeverityCritical, title: "AWS Secret Access Key",
			re: `(?i)aws_?(?:sec(?:ret)?)?_?(?:access)?_?key` + assign + `(?P<secret>[A-Za-z0-9/+=]{40})` + endq,
			kw: []string{"aws_", "awss", "awsa", "awsk"}}, // every way "aws" can continue in the regexp

		// GitHub
		{id: "github-pat", cat: "GitHub", sev: SeverityCritical, title: "GitHub Personal Access Token",
			re: tok(`ghp_[0-9A-Za-z]{36}`), kw: []string{"ghp_"}},
		{id: "github-oauth", cat: "GitHub", sev: SeverityCritical, title: "GitHub OAuth Access Token",
			re: tok(`gho_[0-9A-Za-z]{36}`), kw: []string{"gho_"}},
		{id: "github-app-token", cat: "GitHub", sev: SeverityCritical, title: "GitHub App Token",
			re: tok(`(?:ghu|ghs)_[0-9A-Za-z]{36}`), kw: []string{"ghu_", "ghs_"}},
		{id: "github-refresh-token", cat: "GitHub", sev: SeverityCritical, title: "GitHub Refresh Token",
			re: tok(`ghr_[0-9A-Za-z]{76}`), kw: []string{"ghr_"}},
		{id: "github-fine-grained-pat", cat: "GitHub", sev: SeverityCritical, title: "GitHub Fine-grained personal access token",
			re: tok(`github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}`), kw: []string{"github_pat_"}},

		// GitLab
		{id: "gitlab-pat", cat: "GitLab", sev: SeverityCritical, title: "GitLab Personal Access Token",
			re: tok(`glpat-[0-9A-Za-z_\-]{20,80}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?`), kw: []string{"glpat-"}},
		{id: "gitlab-pipeline-trigger-token", cat: "GitLab", sev: SeverityHigh, title: "GitLab Pipeline Trigger Token",
			re: tok(`glptt-[0-9a-f]{40}`), kw: []string{"glptt-"}},
		{id: "gitlab-runner-registration-token", cat: "GitLab", sev: SeverityHigh, title: "GitLab Runner Registration Token",
			re: tok(`GR1348941[0-9A-Za-z_\-]{20}`), kw: []string{"GR1348941"}},
		{id: "gitlab-deploy-token", cat: "GitLab", sev: SeverityHigh, title: "GitLab Deploy Token",
			re: tok(`gldt-[0-9A-Za-z_\-]{20}`), kw: []string{"gldt-"}},

		// Hugging Face
		{id: "hugging-face-access-token", cat: "HuggingFace", sev: SeverityCritical, title: "Hugging Face Access Token",
			re: tok(`hf_[A-Za-z0-9]{34,40}`), kw: []string{"hf_"}},

		// Private keys (PEM, OpenSSH, PGP), also JSON-escaped ("\n").
		{id: "private-key", cat: "AsymmetricPrivateKey", sev: SeverityHigh, title: "Asymmetric Private Key",
			re: `-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\n|\\r)*` +
				`(?P<secret>[A-Za-z0-9+/=\\][A-Za-z0-9+/=:,.\\\s-]{30,}?)(?:\s|\\n|\\r)*-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`,
			kw: []string{"PRIVATE KEY"}, multiline: true},

		// Shopify
		{id: "shopify-token", cat: "Shopify", sev: SeverityHigh, title: "Shopify token",
			re: tok(`shp(?:ss|at|ca|pa)_[a-fA-F0-9]{32}`), kw: []string{"shpss_", "shpat_", "shpca_", "shppa_"}},

		// Slack
		{id: "slack-access-token", cat: "Slack", sev: SeverityHigh, title: "Slack token",
			re: tok(`xox[baprs]-[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{1,64}){0,4}`), kw: []string{"xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"}},
		{id: "slack-web-hook", cat: "Slack", sev: SeverityMedium, title: "Slack Webhook",
			re: `(?P<secret>https://hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})` + rb, kw: []string{"hooks.slack.com"}},
		{id: "slack-app-token", cat: "Slack", sev: SeverityHigh, title: "Slack App-level token",
			re: tok(`xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}`), kw: []string{"xapp-"}},

		// Google
		{id: "gcp-service-account", cat: "Google", sev: SeverityCritical, title: "Google (GCP) Service-account",
			re: `"type"[ \t]{0,16}:[ \t]{0,16}"service_account"`, kw: []string{"service_account"}},
		{id: "gcp-api-key", cat: "Google", sev: SeverityHigh, title: "Google API key",
			re: tok(`AIza[0-9A-Za-z_\-]{35}`), kw: []string{"AIza"}},
		{id: "google-oauth-client-secret", cat: "Google", sev: SeverityHigh, title: "Google OAuth client secret",
			re: tok(`GOCSPX-[0-9A-Za-z_\-]{28}`), kw: []string{"GOCSPX-"}},

		// Stripe
		{id: "stripe-publishable-token", cat: "Stripe", sev: SeverityLow, title: "Stripe Publishable Key",
			re: tok(`pk_(?:test|live)_[0-9A-Za-z]{10,99}`), kw: []string{"pk_test_", "pk_live_"}},
		{id: "stripe-secret-token", cat: "Stripe", sev: SeverityCritical, title: "Stripe Secret Key",
			re: tok(`sk_(?:test|live)_[0-9A-Za-z]{10,99}`), kw: []string{"sk_test_", "sk_live_"}},
		{id: "stripe-restricted-key", cat: "Stripe", sev: SeverityHigh, title: "Stripe Restricted Key",
			re: tok(`rk_(?:test|live)_[0-9A-Za-z]{10,99}`), kw: []string{"rk_test_", "rk_live_"}},

		// PyPI: the macaroon's base64 header encodes "pypi.org".
		{id: "pypi-upload-token", cat: "PyPI", sev: SeverityHigh, title: "PyPI upload token",
			re: tok(`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,1000}`), kw: []string{"pypi-AgEIcHlwaS5vcmc"}},

		{id: "heroku-api-key", cat: "Heroku", sev: SeverityHigh, title: "Heroku API Key",
			re: keyed(`heroku`, uuid), kw: []string{"heroku"}},
		{id: "twilio-api-key", cat: "Twilio", sev: SeverityMedium, title: "Twilio API Key",
			re: keyed(`twilio`, `SK[0-9a-f]{32}`), kw: []string{"twilio"}},
		{id: "age-secret-key", cat: "Age", sev: SeverityMedium, title: "Age secret key",
			re: tok(`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`), kw: []string{"AGE-SECRET-KEY-1"}},
		{id: "facebook-token", cat: "Facebook", sev: SeverityLow, title: "Facebook token",
			re: keyed(`facebook`, `[a-f0-9]{32}`), kw: []string{"facebook"}},
		{id: "twitter-token", cat: "Twitter", sev: SeverityLow, title: "Twitter token",
			re: keyed(`twitter`, `[a-f0-9]{35,44}`), kw: []string{"twitter"}},
		{id: "adobe-client-id", cat: "Adobe", sev: SeverityLow, title: "Adobe Client ID (OAuth Web)",
			re: keyed(`adobe`, `[a-f0-9]{32}`), kw: []string{"adobe"}},
		{id: "adobe-client-secret", cat: "Adobe", sev: SeverityLow, title: "Adobe Client Secret",
			re: tok(`p8e-[A-Za-z0-9]{32}`), kw: []string{"p8e-"}},
		{id: "alibaba-access-key-id", cat: "Alibaba", sev: SeverityHigh, title: "Alibaba AccessKey ID",
			re: tok(`LTAI[A-Za-z0-9]{12,20}`), kw: []string{"LTAI"}},
		{id: "alibaba-secret-key", cat: "Alibaba", sev: SeverityHigh, title: "Alibaba Secret Key",
			re: keyed(`alibaba|aliyun`, `[a-z0-9]{30}`), kw: []string{"alibaba", "aliyun"}},
		{id: "asana-client-id", cat: "Asana", sev: SeverityMedium, title: "Asana Client ID",
			re: keyed(`asana`, `[0-9]{16}`), kw: []string{"asana"}},
		{id: "asana-client-secret", cat: "Asana", sev: SeverityMedium, title: "Asana Client Secret",
			re: keyed(`asana`, `[a-z0-9]{32}`), kw: []string{"asana"}},
		{id: "atlassian-api-token", cat: "Atlassian", sev: SeverityHigh, title: "Atlassian API token",
			re: keyed(`atlassian|confluence|jira`, `[a-z0-9]{24}`), kw: []string{"atlassian", "confluence", "jira"}},
		{id: "bitbucket-client-id", cat: "Bitbucket", sev: SeverityHigh, title: "Bitbucket client ID",
			re: keyed(`bitbucket`, `[a-z0-9]{32}`), kw: []string{"bitbucket"}},
		{id: "bitbucket-client-secret", cat: "Bitbucket", sev: SeverityHigh, title: "Bitbucket client secret",
			re: keyed(`bitbucket`, `[a-z0-9_\-]{64}`), kw: []string{"bitbucket"}},
		{id: "beamer-api-token", cat: "Beamer", sev: SeverityLow, title: "Beamer API token",
			re: keyed(`beamer`, `b_[a-z0-9=_\-]{44}`), kw: []string{"beamer"}},
		{id: "clojars-api-token", cat: "Clojars", sev: SeverityMedium, title: "Clojars API token",
			re: tok(`CLOJARS_[A-Za-z0-9]{60}`), kw: []string{"CLOJARS_"}},
		{id: "contentful-delivery-api-token", cat: "ContentfulDelivery", sev: SeverityLow, title: "Contentful delivery API token",
			re: keyed(`contentful`, `[a-z0-9=_\-]{43}`), kw: []string{"contentful"}},
		{id: "databricks-api-token", cat: "Databricks", sev: SeverityMedium, title: "Databricks API token",
			re: tok(`dapi[a-h0-9]{32}(?:-[0-9])?`), kw: []string{"dapi"}},
		{id: "discord-api-token", cat: "Discord", sev: SeverityMedium, title: "Discord API key",
			re: keyed(`discord`, `[a-h0-9]{64}`), kw: []string{"discord"}},
		{id: "discord-client-id", cat: "Discord", sev: SeverityMedium, title: "Discord client ID",
			re: keyed(`discord`, `[0-9]{18,19}`), kw: []string{"discord"}},
		{id: "discord-client-secret", cat: "Discord", sev: SeverityMedium, title: "Discord client secret",
			re: keyed(`discord`, `[a-z0-9=_\-]{32}`), kw: []string{"discord"}},
		{id: "doppler-api-token", cat: "Doppler", sev: SeverityMedium, title: "Doppler API token",
			re: tok(`dp\.pt\.[A-Za-z0-9]{43}`), kw: []string{"dp.pt."}},
		{id: "dropbox-api-secret", cat: "Dropbox", sev: SeverityHigh, title: "Dropbox API secret/key",
			re: keyed(`dropbox`, `[a-z0-9]{15}`), kw: []string{"dropbox"}},
		{id: "dropbox-short-lived-api-token", cat: "Dropbox", sev: SeverityHigh, title: "Dropbox short lived API token",
			re: keyed(`dropbox`, `sl\.[a-z0-9=_\-]{135,140}`), kw: []string{"dropbox"}},
		{id: "dropbox-long-lived-api-token", cat: "Dropbox", sev: SeverityHigh, title: "Dropbox long lived API token",
			re: keyed(`dropbox`, `[a-z0-9]{11}AAAAAAAAAA[a-z0-9=_\-]{43}`), kw: []string{"dropbox"}},
		{id: "duffel-api-token", cat: "Duffel", sev: SeverityLow, title: "Duffel API token",
			re: tok(`duffel_(?:test|live)_[A-Za-z0-9_\-=]{43}`), kw: []string{"duffel_test_", "duffel_live_"}},
		{id: "dynatrace-api-token", cat: "Dynatrace", sev: SeverityMedium, title: "Dynatrace API token",
			re: tok(`dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}`), kw: []string{"dt0c01."}},
		{id: "easypost-api-token", cat: "Easypost", sev: SeverityLow, title: "EasyPost API token",
			re: tok(`EZ[AT]K[A-Za-z0-9]{54}`), kw: []string{"EZAK", "EZTK"}},
		{id: "fastly-api-token", cat: "Fastly", sev: SeverityMedium, title: "Fastly API token",
			re: keyed(`fastly`, `[a-z0-9=_\-]{32}`), kw: []string{"fastly"}},
		{id: "finicity-client-secret", cat: "Finicity", sev: SeverityMedium, title: "Finicity client secret",
			re: keyed(`finicity`, `[a-z0-9]{20}`), kw: []string{"finicity"}},
		{id: "finicity-api-token", cat: "Finicity", sev: SeverityMedium, title: "Finicity API token",
			re: keyed(`finicity`, `[a-f0-9]{32}`), kw: []string{"finicity"}},
		{id: "flutterwave-public-key", cat: "Flutterwave", sev: SeverityMedium, title: "Flutterwave public/secret key",
			re: tok(`FLW(?:PUB|SEC)K_TEST-[a-h0-9]{32}-X`), kw: []string{"FLWSECK_TEST-", "FLWPUBK_TEST-"}},
		{id: "flutterwave-enc-key", cat: "Flutterwave", sev: SeverityMedium, title: "Flutterwave encryption key",
			re: tok(`FLWSECK_TEST[a-h0-9]{12}`), kw: []string{"FLWSECK_TEST"}},
		{id: "frameio-api-token", cat: "Frameio", sev: SeverityLow, title: "Frame.io API token",
			re: tok(`fio-u-[A-Za-z0-9_\-=]{64}`), kw: []string{"fio-u-"}},
		{id: "gocardless-api-token", cat: "GoCardless", sev: SeverityMedium, title: "GoCardless API token",
			re: tok(`live_[A-Za-z0-9_\-=]{40}`), kw: []string{"live_"}},
		{id: "grafana-api-token", cat: "Grafana", sev: SeverityMedium, title: "Grafana API token",
			re: tok(`eyJrIjoi[A-Za-z0-9_\-=]{72,92}`), kw: []string{"eyJrIjoi"}},
		{id: "grafana-service-account-token", cat: "Grafana", sev: SeverityMedium, title: "Grafana service account token",
			re: tok(`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`), kw: []string{"glsa_"}},
		{id: "hashicorp-tf-api-token", cat: "HashiCorp", sev: SeverityMedium, title: "HashiCorp Terraform user/org API token",
			re: tok(`[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70}`), kw: []string{"atlasv1."}},
		{id: "hashicorp-vault-token", cat: "HashiCorp", sev: SeverityHigh, title: "HashiCorp Vault token",
			re: tok(`hv[sb]\.[A-Za-z0-9_\-]{24,200}`), kw: []string{"hvs.", "hvb."}, valid: hasDigit},
		{id: "hubspot-api-token", cat: "HubSpot", sev: SeverityLow, title: "HubSpot API token",
			re: keyed(`hubspot`, uuid), kw: []string{"hubspot"}},
		{id: "intercom-api-token", cat: "Intercom", sev: SeverityLow, title: "Intercom API token",
			re: keyed(`intercom`, `[a-z0-9=_]{60}`), kw: []string{"intercom"}},
		{id: "intercom-client-secret", cat: "Intercom", sev: SeverityLow, title: "Intercom client secret/ID",
			re: keyed(`intercom`, uuid), kw: []string{"intercom"}},
		{id: "ionic-api-token", cat: "Ionic", sev: SeverityMedium, title: "Ionic API token",
			re: keyed(`ionic`, `ion_[a-z0-9]{42}`), kw: []string{"ionic"}},
		{id: "jwt-token", cat: "JWT", sev: SeverityMedium, title: "JWT token",
			re: `(?:^|[^0-9A-Za-z_\-.])(?P<secret>eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}={0,2})` + rb,
			kw: []string{".eyJ"}},
		{id: "linear-api-token", cat: "Linear", sev: SeverityMedium, title: "Linear API token",
			re: tok(`lin_api_[A-Za-z0-9]{40}`), kw: []string{"lin_api_"}},
		{id: "linear-client-secret", cat: "Linear", sev: SeverityMedium, title: "Linear client secret/ID",
			re: keyed(`linear`, `[a-f0-9]{32}`), kw: []string{"linear"}},
		{id: "lob-api-key", cat: "Lob", sev: SeverityLow, title: "Lob API Key",
			re: keyed(`\blob`, `(?:live|test)_[a-f0-9]{35}`), kw: []string{"live_", "test_"}},
		{id: "lob-pub-api-key", cat: "Lob", sev: SeverityLow, title: "Lob Publishable API Key",
			re: keyed(`\blob`, `(?:test|live)_pub_[a-f0-9]{31}`), kw: []string{"_pub_"}},
		{id: "mailchimp-api-key", cat: "Mailchimp", sev: SeverityMedium, title: "Mailchimp API key",
			re: keyed(`mailchimp`, `[a-f0-9]{32}-us[0-9]{1,2}`), kw: []string{"mailchimp"}},
		{id: "mailgun-token", cat: "Mailgun", sev: SeverityMedium, title: "Mailgun private API token",
			re: keyed(`mailgun`, `(?:pub)?key-[a-f0-9]{32}`), kw: []string{"mailgun"}},
		{id: "mailgun-signing-key", cat: "Mailgun", sev: SeverityMedium, title: "Mailgun webhook signing key",
			re: keyed(`mailgun`, `[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}`), kw: []string{"mailgun"}},
		{id: "mapbox-api-token", cat: "Mapbox", sev: SeverityMedium, title: "Mapbox API token",
			re: tok(`[ps]k\.eyJ[A-Za-z0-9_\-]{20,300}\.[A-Za-z0-9_\-]{20,30}`), kw: []string{"pk.eyJ", "sk.eyJ"}},
		{id: "messagebird-api-token", cat: "MessageBird", sev: SeverityMedium, title: "MessageBird API token",
			re: keyed(`message[_\-]?bird`, `[a-z0-9]{25}`), kw: []string{"messagebird", "message_bird", "message-bird"}},
		{id: "messagebird-client-id", cat: "MessageBird", sev: SeverityMedium, title: "MessageBird API client ID",
			re: keyed(`message[_\-]?bird`, uuid), kw: []string{"messagebird", "message_bird", "message-bird"}},
		{id: "new-relic-user-api-key", cat: "NewRelic", sev: SeverityMedium, title: "New Relic user API Key",
			re: tok(`NRAK-[A-Z0-9]{27}`), kw: []string{"NRAK-"}},
		{id: "new-relic-user-api-id", cat: "NewRelic", sev: SeverityMedium, title: "New Relic user API ID",
			re: keyed(`new[_\-]?relic`, `[a-z0-9]{64}`), kw: []string{"newrelic", "new_relic", "new-relic"}},
		{id: "new-relic-browser-api-token", cat: "NewRelic", sev: SeverityMedium, title: "New Relic ingest browser API token",
			re: tok(`NRJS-[a-f0-9]{19}`), kw: []string{"NRJS-"}},
		{id: "npm-access-token", cat: "Npm", sev: SeverityCritical, title: "npm access token",
			re: tok(`npm_[A-Za-z0-9]{36}`), kw: []string{"npm_"}},
		{id: "npmrc-auth-token", cat: "Npm", sev: SeverityHigh, title: "npm registry auth token in .npmrc",
			re: `(?i)(?:^|[^0-9a-z])_auth(?:token)?[ \t]{0,16}=[ \t]{0,16}["']?(?P<secret>[A-Za-z0-9+/=_.\-]{16,512})` + endq,
			kw: []string{"_auth"}, valid: notPlaceholder},
		{id: "planetscale-password", cat: "Planetscale", sev: SeverityMedium, title: "PlanetScale password",
			re: tok(`pscale_pw_[A-Za-z0-9_\-.]{32,64}`), kw: []string{"pscale_pw_"}},
		{id: "planetscale-api-token", cat: "Planetscale", sev: SeverityMedium, title: "PlanetScale API token",
			re: tok(`pscale_tkn_[A-Za-z0-9_\-.]{32,64}`), kw: []string{"pscale_tkn_"}},
		{id: "private-packagist-token", cat: "Private Packagist", sev: SeverityHigh, title: "Private Packagist token",
			re: tok(`packagist_[ou][ru]t_[a-f0-9]{68}`), kw: []string{"packagist_"}},
		{id: "postman-api-token", cat: "Postman", sev: SeverityMedium, title: "Postman API token",
			re: tok(`PMAK-[a-f0-9]{24}-[a-f0-9]{34}`), kw: []string{"PMAK-"}},
		{id: "pulumi-api-token", cat: "Pulumi", sev: SeverityHigh, title: "Pulumi API token",
			re: tok(`pul-[a-f0-9]{40}`), kw: []string{"pul-"}},
		{id: "rubygems-api-token", cat: "RubyGems", sev: SeverityMedium, title: "RubyGems API token",
			re: tok(`rubygems_[a-f0-9]{48}`), kw: []string{"rubygems_"}},
		{id: "sendgrid-api-token", cat: "SendGrid", sev: SeverityMedium, title: "SendGrid API token",
			re: tok(`SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}`), kw: []string{"SG."}},
		{id: "sendinblue-api-token", cat: "Sendinblue", sev: SeverityLow, title: "Sendinblue API token",
			re: tok(`xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}`), kw: []string{"xkeysib-"}},
		{id: "shippo-api-token", cat: "Shippo", sev: SeverityLow, title: "Shippo API token",
			re: tok(`shippo_(?:live|test)_[a-f0-9]{40}`), kw: []string{"shippo_"}},
		{id: "linkedin-client-secret", cat: "LinkedIn", sev: SeverityLow, title: "LinkedIn Client secret",
			re: keyed(`linked[_\-]?in`, `[a-z]{16}`), kw: []string{"linkedin", "linked_in", "linked-in"}},
		{id: "linkedin-client-id", cat: "LinkedIn", sev: SeverityLow, title: "LinkedIn Client ID",
			re: keyed(`linked[_\-]?in`, `[a-z0-9]{14}`), kw: []string{"linkedin", "linked_in", "linked-in"}},
		{id: "twitch-api-token", cat: "Twitch", sev: SeverityLow, title: "Twitch API token",
			re: keyed(`twitch`, `[a-z0-9]{30}`), kw: []string{"twitch"}},
		{id: "typeform-api-token", cat: "Typeform", sev: SeverityLow, title: "Typeform API token",
			re: tok(`tfp_[A-Za-z0-9_\-.=]{59}`), kw: []string{"tfp_"}},

		// Docker
		{id: "dockerconfig-secret", cat: "Docker", sev: SeverityHigh, title: "Dockerconfig secret exposed",
			re: `(?i)\.(?:dockerconfigjson|dockercfg)["']?[ \t]{0,16}:[ \t]{0,16}[|>]?[-+]?[ \t]{0,16}["']?(?P<secret>(?:ey|ew)[A-Za-z0-9+/=]{20,})`,
			kw: []string{"dockerconfigjson", "dockercfg"}},
		{id: "docker-config-auth", cat: "Docker", sev: SeverityHigh, title: "Docker registry credentials (config.json auths)",
			re: `"auth"[ \t]{0,16}:[ \t]{0,16}"(?P<secret>[A-Za-z0-9+/]{8,1000}={0,2})"`, kw: []string{`"auth"`}, valid: validDockerAuth},

		{id: "symfony-secret", cat: "Symfony", sev: SeverityMedium, title: "Symfony APP_SECRET",
			re: `(?:^|[^0-9A-Za-z_])APP_SECRET` + assign + `(?P<secret>[0-9a-f]{32})` + endq, kw: []string{"APP_SECRET"}},

		// Azure
		{id: "azure-cosmosdb-account-key", cat: "Azure", sev: SeverityCritical, title: "Azure Cosmos DB account key",
			re: `(?i)AccountEndpoint=https://[a-z0-9\-]{1,63}\.documents\.azure\.com[^;\s]{0,256};AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)`,
			kw: []string{"documents.azure.com"}},
		{id: "azure-storage-account-key", cat: "Azure", sev: SeverityCritical, title: "Azure Storage account key",
			re: `(?i)AccountKey[ \t]{0,16}=[ \t]{0,16}(?P<secret>[A-Za-z0-9+/]{86}==)`, kw: []string{"AccountKey"}},
		{id: "azure-storage-sas-token", cat: "Azure", sev: SeverityHigh, title: "Azure shared access signature (SAS) token",
			re: `[?&;]sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}(?:&[^\s"'<>&]{0,120}){0,8}?&sig=(?P<secret>[A-Za-z0-9%+/]{40,100}(?:%3D|=){0,2})`,
			kw: []string{"sig="}},
		{id: "azure-client-secret", cat: "Azure", sev: SeverityHigh, title: "Azure Entra ID (AAD) client secret",
			re: `(?:^|[^0-9A-Za-z_~.\-])(?P<secret>[A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})(?:[^0-9A-Za-z_~.\-]|$)`,
			kw: []string{"Q~"}},
		{id: "azure-servicebus-connection-string", cat: "Azure", sev: SeverityHigh, title: "Azure Service Bus / Event Hubs connection string",
			re: `(?i)Endpoint=sb://[^;\s]{1,253};SharedAccessKeyName=[^;\s]{1,128};SharedAccessKey=(?P<secret>[A-Za-z0-9+/]{43}=)`,
			kw: []string{"SharedAccessKey="}},
		{id: "azure-iothub-connection-string", cat: "Azure", sev: SeverityHigh, title: "Azure IoT Hub connection string",
			re: `(?i)HostName=[a-z0-9\-.]{1,253}\.azure-devices\.net;(?:DeviceId=[^;\s]{1,256};)?(?:SharedAccessKeyName=[^;\s]{1,256};)?SharedAccessKey=(?P<secret>[A-Za-z0-9+/]{43}=)`,
			kw: []string{"azure-devices.net"}},
		{id: "azure-app-configuration-connection-string", cat: "Azure", sev: SeverityHigh, title: "Azure App Configuration connection string",
			re: `(?i)Endpoint=https://[a-z0-9\-]{1,63}\.azconfig\.io;Id=[A-Za-z0-9+/=:\-]{1,128};Secret=(?P<secret>[A-Za-z0-9+/]{43}=)`,
			kw: []string{"azconfig.io"}},
		{id: "azure-devops-pat", cat: "Azure", sev: SeverityHigh, title: "Azure DevOps personal access token",
			re: keyed(`azure[_\-]?devops|vsts|azdo`, `[a-z2-7]{52}`), kw: []string{"azuredevops", "azure_devops", "azure-devops", "vsts", "azdo"}},

		// Maven settings
		{id: "maven-settings-password", cat: "Maven", sev: SeverityHigh, title: "Password in Maven settings.xml",
			re: `<password>[ \t]{0,16}(?P<secret>[^<\s][^<\r\n]{2,255}?)[ \t]{0,16}</password>`, kw: []string{"<password>"},
			path: `(?i)settings[^/]*\.xml$`, valid: notPlaceholder, exclude: []string{xmlComment}, minEntropy: 1.5},
		{id: "maven-settings-passphrase", cat: "Maven", sev: SeverityHigh, title: "Private key passphrase in Maven settings.xml",
			re: `<passphrase>[ \t]{0,16}(?P<secret>[^<\s][^<\r\n]{2,255}?)[ \t]{0,16}</passphrase>`, kw: []string{"<passphrase>"},
			path: `(?i)settings[^/]*\.xml$`, valid: notPlaceholder, exclude: []string{xmlComment}, minEntropy: 1.5},
		{id: "maven-master-password", cat: "Maven", sev: SeverityHigh, title: "Maven master password (settings-security.xml)",
			re: `<master>[ \t]{0,16}(?P<secret>\{[A-Za-z0-9+/=]{16,512}\})[ \t]{0,16}</master>`, kw: []string{"<master>"}, exclude: []string{xmlComment}},

		// OpenAI: "T3BlbkFJ" is base64 for "OpenAI", embedded in every key.
		{id: "openai-api-key", cat: "OpenAI", sev: SeverityCritical, title: "OpenAI API key (legacy)",
			re: tok(`sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}`), kw: []string{"T3BlbkFJ"}},
		{id: "openai-project-api-key", cat: "OpenAI", sev: SeverityCritical, title: "OpenAI project API key",
			re: tok(`sk-proj-[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200}`), kw: []string{"sk-proj-"}},
		{id: "openai-service-account-api-key", cat: "OpenAI", sev: SeverityCritical, title: "OpenAI service account API key",
			re: tok(`sk-svcacct-[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200}`), kw: []string{"sk-svcacct-"}},
		{id: "openai-admin-api-key", cat: "OpenAI", sev: SeverityCritical, title: "OpenAI admin API key",
			re: tok(`sk-admin-[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200}`), kw: []string{"sk-admin-"}},
		{id: "openai-user-api-key", cat: "OpenAI", sev: SeverityCritical, title: "OpenAI user API key",
			re: tok(`sk-None-[A-Za-z0-9_\-]{20,200}T3BlbkFJ[A-Za-z0-9_\-]{20,200}`), kw: []string{"sk-None-"}},
		{id: "openai-keyed-api-key", cat: "OpenAI", sev: SeverityHigh, title: "OpenAI API key assigned to an OPENAI variable",
			re: keyed(`openai`, `sk-[A-Za-z0-9_\-]{32,200}`), kw: []string{"openai"}},

		// Anthropic
		{id: "anthropic-api-key", cat: "Anthropic", sev: SeverityCritical, title: "Anthropic API key",
			re: tok(`sk-ant-api03-[A-Za-z0-9_\-]{93}AA`), kw: []string{"sk-ant-api"}},
		{id: "anthropic-admin-api-key", cat: "Anthropic", sev: SeverityCritical, title: "Anthropic admin API key",
			re: tok(`sk-ant-admin01-[A-Za-z0-9_\-]{93}AA`), kw: []string{"sk-ant-admin"}},

		// DigitalOcean
		{id: "digitalocean-pat", cat: "DigitalOcean", sev: SeverityCritical, title: "DigitalOcean personal access token",
			re: tok(`dop_v1_[a-f0-9]{64}`), kw: []string{"dop_v1_"}},
		{id: "digitalocean-oauth-token", cat: "DigitalOcean", sev: SeverityCritical, title: "DigitalOcean OAuth access token",
			re: tok(`doo_v1_[a-f0-9]{64}`), kw: []string{"doo_v1_"}},
		{id: "digitalocean-refresh-token", cat: "DigitalOcean", sev: SeverityHigh, title: "DigitalOcean OAuth refresh token",
			re: tok(`dor_v1_[a-f0-9]{64}`), kw: []string{"dor_v1_"}},

		// Sentry
		{id: "sentry-user-token", cat: "Sentry", sev: SeverityHigh, title: "Sentry user auth token",
			re: tok(`sntryu_[a-f0-9]{64}`), kw: []string{"sntryu_"}},
		{id: "sentry-org-token", cat: "Sentry", sev: SeverityHigh, title: "Sentry organization auth token",
			re: `(?:^|[^0-9A-Za-z_])(?P<secret>sntrys_eyJ[A-Za-z0-9+/=_\-]{60,400})(?:[^0-9A-Za-z_\-+/=]|$)`, kw: []string{"sntrys_"}},

		// Square
		{id: "square-access-token", cat: "Square", sev: SeverityHigh, title: "Square access token",
			re: tok(`sq0atp-[0-9A-Za-z_\-]{22}`), kw: []string{"sq0atp-"}},
		{id: "square-oauth-secret", cat: "Square", sev: SeverityHigh, title: "Square OAuth secret",
			re: tok(`sq0csp-[0-9A-Za-z_\-]{43}`), kw: []string{"sq0csp-"}},

		{id: "telegram-bot-token", cat: "Telegram", sev: SeverityMedium, title: "Telegram bot API token",
			re: `(?:^|[^0-9])(?P<secret>[0-9]{8,10}:AA[0-9A-Za-z_\-]{33})` + rb, kw: []string{":AA"}},

		// Connection strings with an inline password: scheme://user:password@host
		{id: "connection-string-password", cat: "ConnectionString", sev: SeverityHigh, title: "Connection string with an inline password",
			re: `(?i)(?:^|[^a-z0-9+.\-])[a-z][a-z0-9+.\-]{1,20}://(?P<user>(?-i:[!#$%&()*+,\-.0-9;=?A-Z\[\\\]^_\x60a-z{|}~]{1,64})):(?P<secret>(?-i:[!#$%&()*+,\-.0-9:;=?A-Z\[\\\]^_\x60a-z{|}~]{3,128}))@[a-z0-9_\-\[][a-z0-9_\-.\[\]:]{0,253}`,
			kw: []string{"://"}, need: "@", valid: validConnPassword, minEntropy: 1.5},

		// Generic assignments, with a quality filter.
		{id: "generic-password", cat: "Generic", sev: SeverityMedium, title: "Password assigned in plain text",
			re: "(?i)(?:passw(?:or)?d|passphrase|[_\\-]pass)" + assign +
				"(?P<secret>(?-i:[!#%+\\-./0-9:=?@A-Z\\\\^_a-z|~]{8,128}))" + endq,
			kw: []string{"passw", "passphrase", "_pass", "-pass"}, valid: validPassword, generic: true, minEntropy: 2.5},
		{id: "generic-secret", cat: "Generic", sev: SeverityMedium, title: "Secret, token or API key assigned in plain text",
			re: "(?i)(?:secret|token|api[_\\-]?key|access[_\\-]?key)" + assign +
				"(?P<secret>[A-Za-z0-9+/=_\\-.~]{16,128})" + endq,
			kw: []string{"secret", "token", "api_key", "api-key", "apikey", "access_key", "access-key", "accesskey"}, valid: validGenericSecret, generic: true,
			minEntropy: 2.5},
	}
}

// builtinRules compiles the built-in rules once per process; callers get
// copies, so the shared slice is never mutated.
var builtinRules = sync.OnceValues(func() ([]Rule, error) {
	specs := builtinSpecs()
	rules := make([]Rule, 0, len(specs))
	for _, s := range specs {
		re, err := regexp.Compile(s.re)
		if err != nil {
			return nil, fmt.Errorf("secret: built-in rule %s: %w", s.id, err)
		}
		r := Rule{
			ID: s.id, Category: s.cat, Title: s.title, Severity: s.sev,
			Regex: re, Keywords: s.kw, lineLocal: !s.multiline, valid: s.valid, generic: s.generic,
			caseSensitive: !strings.Contains(s.re, "(?i)"),
			builtin:       true, minEntropy: s.minEntropy,
		}
		if s.need != "" {
			r.need = []byte(s.need)
		}
		if sp := matchSpan(s.re); r.lineLocal && sp > 0 && sp <= maxSpan {
			r.span = sp
		}
		if re.SubexpIndex("secret") >= 0 {
			r.SecretGroupName = "secret"
		}
		r.prefix = formatPrefix(s.re, r.SecretGroupName)
		for _, x := range s.exclude {
			xre, err := regexp.Compile(x)
			if err != nil {
				return nil, fmt.Errorf("secret: built-in rule %s exclude block: %w", s.id, err)
			}
			r.ExcludeBlock.Regexes = append(r.ExcludeBlock.Regexes, xre)
		}
		if s.path != "" {
			if r.Path, err = regexp.Compile(s.path); err != nil {
				return nil, fmt.Errorf("secret: built-in rule %s path: %w", s.id, err)
			}
		}
		if err := r.resolveGroup(); err != nil {
			return nil, fmt.Errorf("secret: built-in %w", err)
		}
		rules = append(rules, r)
	}
	return rules, nil
})

// BuiltinRules returns the built-in rules, in their precedence order.
func BuiltinRules() ([]Rule, error) {
	rules, err := builtinRules()
	if err != nil {
		return nil, err
	}
	return cloneRules(rules), nil
}

// cloneRules copies rules deeply enough that callers cannot change the
// shared built-ins through the slices they hold.
func cloneRules(rules []Rule) []Rule {
	out := append([]Rule(nil), rules...)
	for i := range out {
		out[i].Keywords = slices.Clone(out[i].Keywords)
		out[i].AllowRules = slices.Clone(out[i].AllowRules)
		out[i].ExcludeBlock.Regexes = slices.Clone(out[i].ExcludeBlock.Regexes)
	}
	return out
}

// allowSpec is a built-in allow rule: a path regexp (for users and docs) and
// the equivalent regexp-free matcher used at run time.
type allowSpec struct {
	id, desc, re string
	fast         pathMatcher
}

func builtinAllowSpecs() []allowSpec {
	return []allowSpec{
		// Test directories and files named as test runners find them (Go,
		// pytest, Jest/Vitest/Mocha): their keys are test vectors.
		{id: "tests", desc: "test directories, fixtures and test files",
			re: `(?:^|/)(?:test|tests|testdata|__tests__|fixtures|__fixtures__)/|_test\.(?:go|py)$|(?:^|/)test_[^/]*\.py$|\.(?:spec|test)\.(?:js|jsx|ts|tsx|mjs|cjs|mts|cts)$`,
			fast: pathMatcher{dirs: []string{"test", "tests", "testdata", "__tests__", "fixtures", "__fixtures__"},
				suffixes: testFileSuffixes(), names: []nameMatch{{prefix: "test_", suffix: ".py"}}}},
		{id: "examples", desc: "example directories", re: `(?:^|/)examples?/`,
			fast: pathMatcher{dirs: []string{"example", "examples"}}},
		{id: "vendor", desc: "vendored dependencies", re: `(?:^|/)vendor/`,
			fast: pathMatcher{dirs: []string{"vendor"}}},
		{id: "usr-dirs", desc: "/usr/share, /usr/include and /usr/lib", re: `^usr/(?:share|include|lib)/`,
			fast: pathMatcher{prefixes: []string{"usr/share/", "usr/include/", "usr/lib/"}}},
		{id: "locale-dir", desc: "locale directories", re: `(?:^|/)locales?/`,
			fast: pathMatcher{dirs: []string{"locale", "locales"}}},
		{id: "markdown", desc: "Markdown documents", re: `\.md$`,
			fast: pathMatcher{suffixes: []string{".md"}}},
		{id: "node.js", desc: "installed Node.js packages", re: `(?:^|/)node_modules/`,
			fast: pathMatcher{dirs: []string{"node_modules"}}},
		{id: "golang", desc: "Go toolchain and module cache", re: `^usr/local/go/|(?:^|/)go/pkg/mod/`,
			fast: pathMatcher{prefixes: []string{"usr/local/go/", "go/pkg/mod/"}, contains: []string{"/go/pkg/mod/"}}},
		{id: "python", desc: "installed Python packages", re: `(?:^|/)(?:site|dist)-packages/`,
			fast: pathMatcher{dirs: []string{"site-packages", "dist-packages"}}},
		{id: "rubygems", desc: "installed Ruby gems", re: `(?:^|/)gems/`,
			fast: pathMatcher{dirs: []string{"gems"}}},
		{id: "wordpress", desc: "WordPress core", re: `(?:^|/)wp-(?:includes|admin)/`,
			fast: pathMatcher{dirs: []string{"wp-includes", "wp-admin"}}},
		{id: "dist-info", desc: "Python package metadata", re: `\.dist-info/`,
			fast: pathMatcher{contains: []string{".dist-info/"}, prefixes: []string{".dist-info/"}}},
		{id: "anaconda-log", desc: "Anaconda package metadata and logs", re: `(?:^|/)conda-meta/`,
			fast: pathMatcher{dirs: []string{"conda-meta"}}},
	}
}

// testFileSuffixes are the file name endings of test files: Go and pytest
// "_test", and the ".spec."/".test." files of JavaScript test runners.
func testFileSuffixes() []string {
	out := []string{"_test.go", "_test.py"}
	for _, kind := range []string{".spec.", ".test."} {
		for _, ext := range []string{"js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts"} {
			out = append(out, kind+ext)
		}
	}
	return out
}

var builtinAllowRules = sync.OnceValues(func() ([]AllowRule, error) {
	specs := builtinAllowSpecs()
	out := make([]AllowRule, 0, len(specs))
	for i := range specs {
		s := &specs[i]
		re, err := regexp.Compile(s.re)
		if err != nil {
			return nil, fmt.Errorf("secret: built-in allow rule %s: %w", s.id, err)
		}
		out = append(out, AllowRule{ID: s.id, Description: s.desc, Path: re, fast: &s.fast})
	}
	return out, nil
})

// BuiltinAllowRules returns the built-in allow rules (all path based).
func BuiltinAllowRules() ([]AllowRule, error) {
	rules, err := builtinAllowRules()
	if err != nil {
		return nil, err
	}
	return append([]AllowRule(nil), rules...), nil
}

// keywordsCover reports whether text contains one of kws, ASCII
// case-insensitively. Used by tests and by the config check.
func keywordsCover(text string, kws []string) bool {
	lt := strings.ToLower(text)
	for _, k := range kws {
		if strings.Contains(lt, strings.ToLower(k)) {
			return true
		}
	}
	return false
}
