package secret

import (
	"encoding/base64"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Character sets for made-up keys. Every key in these tests is generated
// here from the provider's documented format; none is real.
const (
	csUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	csLower = "abcdefghijklmnopqrstuvwxyz"
	csDigit = "0123456789"
	csHex   = "0123456789abcdef"
	csAH    = "0123456789abcdefgh"
	csUN    = csUpper + csDigit
	csLN    = csLower + csDigit
	csAN    = csUpper + csLower + csDigit
	csURL   = csAN + "_-"
	csB64   = csAN + "+/"
	csB32   = "abcdefghijklmnopqrstuvwxyz234567"
	csBech  = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
	csAzure = csAN + "_~.-"
)

type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, 42))} }

// s returns n random characters of cs.
func (g *gen) s(cs string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = cs[g.r.IntN(len(cs))]
	}
	return string(b)
}

func (g *gen) uuid() string {
	return g.s(csHex, 8) + "-" + g.s(csHex, 4) + "-" + g.s(csHex, 4) + "-" + g.s(csHex, 4) + "-" + g.s(csHex, 12)
}

func kv(key, val string) string { return key + ` = "` + val + `"` }

// ruleCase is a true positive (a line and the secret it holds) and a true
// negative for one built-in rule.
type ruleCase struct {
	id   string
	path string // default "app/config.env"
	tp   func(g *gen) (content, secret string)
	tn   func(g *gen) string
}

// tokCase builds a case for a self-identifying token: prefix + n characters
// of cs; the negative is too short.
func tokCase(id, prefix, cs string, n, short int) ruleCase {
	return ruleCase{id: id,
		tp: func(g *gen) (string, string) { s := prefix + g.s(cs, n); return "TOKEN_VALUE=" + s, s },
		tn: func(g *gen) string { return "TOKEN_VALUE=" + prefix + g.s(cs, short) },
	}
}

// keyedCase builds a case for a value assigned to a provider-named key.
func keyedCase(id, key string, val func(g *gen) string, bad func(g *gen) string) ruleCase {
	return ruleCase{id: id,
		tp: func(g *gen) (string, string) { v := val(g); return kv(key, v), v },
		tn: func(g *gen) string { return kv(key, bad(g)) },
	}
}

func rs(cs string, n int) func(*gen) string { return func(g *gen) string { return g.s(cs, n) } }
func pre(p string, f func(*gen) string) func(*gen) string {
	return func(g *gen) string { return p + f(g) }
}
func cat(fs ...func(*gen) string) func(*gen) string {
	return func(g *gen) string {
		var b strings.Builder
		for _, f := range fs {
			b.WriteString(f(g))
		}
		return b.String()
	}
}
func lit(s string) func(*gen) string { return func(*gen) string { return s } }

func ruleCases() []ruleCase {
	uuid := func(g *gen) string { return g.uuid() }
	pem := func(kind string) func(g *gen) (string, string) {
		return func(g *gen) (string, string) {
			body := g.s(csB64, 64) + "\n" + g.s(csB64, 64) + "\n" + g.s(csB64, 20) + "=="
			return "key: |\n-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----\n", body
		}
	}
	return []ruleCase{
		{id: "aws-access-key-id",
			tp: func(g *gen) (string, string) { s := "AKIA" + g.s(csUN, 16); return "export AWS_ACCESS_KEY_ID=" + s, s },
			tn: func(g *gen) string {
				return "export AWS_ACCESS_KEY_ID=AKIA" + g.s(csUN, 15) + "\nid: akia" + g.s(csUN, 16)
			}},
		keyedCase("aws-secret-access-key", "aws_secret_access_key", rs(csB64, 40), rs(csAN, 39)),
		tokCase("github-pat", "ghp_", csAN, 36, 30),
		tokCase("github-oauth", "gho_", csAN, 36, 30),
		tokCase("github-app-token", "ghs_", csAN, 36, 30),
		tokCase("github-refresh-token", "ghr_", csAN, 76, 70),
		{id: "github-fine-grained-pat",
			tp: func(g *gen) (string, string) {
				s := "github_pat_" + g.s(csAN, 22) + "_" + g.s(csAN, 59)
				return "GH=" + s, s
			},
			tn: func(g *gen) string { return "GH=github_pat_" + g.s(csAN, 22) + "_" + g.s(csAN, 50) }},
		tokCase("gitlab-pat", "glpat-", csURL, 20, 10),
		tokCase("gitlab-pipeline-trigger-token", "glptt-", csHex, 40, 30),
		tokCase("gitlab-runner-registration-token", "GR1348941", csURL, 20, 10),
		tokCase("gitlab-deploy-token", "gldt-", csURL, 20, 10),
		tokCase("hugging-face-access-token", "hf_", csAN, 34, 20),
		{id: "private-key", tp: pem("RSA PRIVATE KEY"),
			tn: func(g *gen) string {
				return "-----BEGIN PUBLIC KEY-----\n" + g.s(csB64, 64) + "\n-----END PUBLIC KEY-----\n"
			}},
		tokCase("shopify-token", "shpat_", csHex, 32, 20),
		{id: "slack-access-token",
			tp: func(g *gen) (string, string) {
				s := "xoxb-" + g.s(csDigit, 12) + "-" + g.s(csDigit, 13) + "-" + g.s(csAN, 24)
				return "SLACK=" + s, s
			},
			tn: func(g *gen) string { return "SLACK=xoxb-" + g.s(csAN, 5) }},
		{id: "slack-web-hook",
			tp: func(g *gen) (string, string) {
				s := "https://hooks.slack.com/services/T" + g.s(csUN, 10) + "/B" + g.s(csUN, 10) + "/" + g.s(csAN, 24)
				return "url: " + s, s
			},
			tn: func(g *gen) string {
				return "url: https://hooks.slack.com/services/T" + g.s(csUN, 10) + "/B" + g.s(csUN, 10) + "/" + g.s(csAN, 10)
			}},
		tokCase("slack-app-token", "xapp-1-A0123456789-1234567890123-", csHex, 64, 30),
		{id: "gcp-service-account",
			tp: func(g *gen) (string, string) {
				s := `"type": "service_account"`
				return "{\n  " + s + ",\n  \"project_id\": \"demo\"\n}", s
			},
			tn: func(g *gen) string { return `{"type": "authorized_user", "note": "service_account"}` }},
		tokCase("gcp-api-key", "AIza", csURL, 35, 20),
		tokCase("google-oauth-client-secret", "GOCSPX-", csURL, 28, 20),
		tokCase("stripe-publishable-token", "pk_live_", csAN, 24, 5),
		tokCase("stripe-secret-token", "sk_live_", csAN, 24, 5),
		tokCase("stripe-restricted-key", "rk_live_", csAN, 24, 5),
		tokCase("pypi-upload-token", "pypi-AgEIcHlwaS5vcmc", csURL, 60, 20),
		keyedCase("heroku-api-key", "HEROKU_API_KEY", uuid, rs(csHex, 20)),
		keyedCase("twilio-api-key", "TWILIO_API_KEY", pre("SK", rs(csHex, 32)), pre("SK", rs(csHex, 20))),
		tokCase("age-secret-key", "AGE-SECRET-KEY-1", csBech, 58, 40),
		keyedCase("facebook-token", "FACEBOOK_APP_KEY", rs(csHex, 32), rs(csHex, 20)),
		keyedCase("twitter-token", "TWITTER_CONSUMER_KEY", rs(csHex, 40), rs(csHex, 20)),
		keyedCase("adobe-client-id", "ADOBE_CLIENT_ID", rs(csHex, 32), rs(csHex, 20)),
		tokCase("adobe-client-secret", "p8e-", csAN, 32, 20),
		tokCase("alibaba-access-key-id", "LTAI", csAN, 20, 8),
		keyedCase("alibaba-secret-key", "ALIBABA_ACCESS_KEY_SECRET", rs(csLN, 30), rs(csLN, 20)),
		keyedCase("asana-client-id", "ASANA_CLIENT_ID", rs(csDigit, 16), rs(csDigit, 10)),
		keyedCase("asana-client-secret", "ASANA_CLIENT_SECRET", rs(csLN, 32), rs(csLN, 20)),
		keyedCase("atlassian-api-token", "JIRA_API_TOKEN", rs(csLN, 24), rs(csLN, 10)),
		keyedCase("bitbucket-client-id", "BITBUCKET_CLIENT_ID", rs(csLN, 32), rs(csLN, 20)),
		keyedCase("bitbucket-client-secret", "BITBUCKET_CLIENT_SECRET", rs(csLN+"_-", 64), rs(csLN, 40)),
		keyedCase("beamer-api-token", "BEAMER_API_TOKEN", pre("b_", rs(csLN, 44)), pre("b_", rs(csLN, 20))),
		tokCase("clojars-api-token", "CLOJARS_", csAN, 60, 30),
		keyedCase("contentful-delivery-api-token", "CONTENTFUL_DELIVERY_TOKEN", rs(csAN, 43), rs(csAN, 30)),
		tokCase("databricks-api-token", "dapi", csAH, 32, 20),
		keyedCase("discord-api-token", "DISCORD_API_KEY", rs(csAH, 64), rs(csAH, 50)),
		keyedCase("discord-client-id", "DISCORD_CLIENT_ID", rs(csDigit, 18), rs(csDigit, 10)),
		keyedCase("discord-client-secret", "DISCORD_CLIENT_SECRET", rs(csLN, 32), rs(csLN, 20)),
		tokCase("doppler-api-token", "dp.pt.", csAN, 43, 20),
		keyedCase("dropbox-api-secret", "DROPBOX_APP_SECRET", rs(csLN, 15), rs(csLN, 10)),
		keyedCase("dropbox-short-lived-api-token", "DROPBOX_TOKEN", pre("sl.", rs(csLN+"_-", 135)), pre("sl.", rs(csLN, 50))),
		keyedCase("dropbox-long-lived-api-token", "DROPBOX_TOKEN",
			cat(rs(csLN, 11), lit("AAAAAAAAAA"), rs(csLN, 43)), cat(rs(csLN, 11), lit("AAAAAAAAAA"), rs(csLN, 20))),
		tokCase("duffel-api-token", "duffel_test_", csAN, 43, 20),
		{id: "dynatrace-api-token",
			tp: func(g *gen) (string, string) {
				s := "dt0c01." + g.s(csUN, 24) + "." + g.s(csUN, 64)
				return "DT=" + s, s
			},
			tn: func(g *gen) string { return "DT=dt0c01." + g.s(csUN, 10) }},
		tokCase("easypost-api-token", "EZAK", csAN, 54, 30),
		keyedCase("fastly-api-token", "FASTLY_API_TOKEN", rs(csAN, 32), rs(csAN, 20)),
		keyedCase("finicity-client-secret", "FINICITY_CLIENT_SECRET", rs(csLN, 20), rs(csLN, 10)),
		keyedCase("finicity-api-token", "FINICITY_APP_KEY", rs(csHex, 32), rs(csHex, 20)),
		{id: "flutterwave-public-key",
			tp: func(g *gen) (string, string) { s := "FLWPUBK_TEST-" + g.s(csAH, 32) + "-X"; return "FLW=" + s, s },
			tn: func(g *gen) string { return "FLW=FLWPUBK_TEST-" + g.s(csAH, 20) + "-X" }},
		tokCase("flutterwave-enc-key", "FLWSECK_TEST", csAH, 12, 6),
		tokCase("frameio-api-token", "fio-u-", csURL, 64, 30),
		{id: "gocardless-api-token",
			tp: func(g *gen) (string, string) { s := "live_" + g.s(csURL, 40); return `token: "` + s + `"`, s },
			tn: func(g *gen) string { return `token: "live_` + g.s(csURL, 20) + `"` }},
		tokCase("grafana-api-token", "eyJrIjoi", csURL, 80, 30),
		{id: "grafana-service-account-token",
			tp: func(g *gen) (string, string) { s := "glsa_" + g.s(csAN, 32) + "_" + g.s(csHex, 8); return "G=" + s, s },
			tn: func(g *gen) string { return "G=glsa_" + g.s(csAN, 10) }},
		{id: "hashicorp-tf-api-token",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 14) + ".atlasv1." + g.s(csURL, 65)
				return `token = "` + s + `"`, s
			},
			tn: func(g *gen) string { return `token = "` + g.s(csAN, 14) + ".atlasv1." + g.s(csURL, 20) + `"` }},
		{id: "hashicorp-vault-token",
			tp: func(g *gen) (string, string) { s := "hvs." + g.s(csURL, 88) + "7Q"; return "VAULT_TOKEN=" + s, s },
			tn: func(g *gen) string {
				return "VAULT_TOKEN=hvs." + g.s(csAN, 10) + "\ncolor = theme.hvs.backgroundHighlightSecondaryAlternate"
			}},
		keyedCase("hubspot-api-token", "HUBSPOT_API_KEY", uuid, rs(csDigit, 5)),
		keyedCase("intercom-api-token", "INTERCOM_ACCESS_TOKEN", rs(csLN, 60), rs(csLN, 20)),
		keyedCase("intercom-client-secret", "INTERCOM_CLIENT_SECRET", uuid, rs(csHex, 8)),
		keyedCase("ionic-api-token", "IONIC_API_TOKEN", pre("ion_", rs(csLN, 42)), pre("ion_", rs(csLN, 20))),
		{id: "jwt-token",
			tp: func(g *gen) (string, string) {
				s := "eyJ" + g.s(csURL, 20) + ".eyJ" + g.s(csURL, 30) + "." + g.s(csURL, 43)
				return "Authorization: Bearer " + s, s
			},
			tn: func(g *gen) string { return "Authorization: Bearer eyJ" + g.s(csURL, 20) + ".eyJ" + g.s(csURL, 5) }},
		tokCase("linear-api-token", "lin_api_", csAN, 40, 20),
		keyedCase("linear-client-secret", "LINEAR_CLIENT_SECRET", rs(csHex, 32), rs(csHex, 20)),
		keyedCase("lob-api-key", "LOB_API_KEY", pre("live_", rs(csHex, 35)), pre("live_", rs(csHex, 20))),
		keyedCase("lob-pub-api-key", "LOB_PUB_KEY", pre("test_pub_", rs(csHex, 31)), pre("test_pub_", rs(csHex, 10))),
		keyedCase("mailchimp-api-key", "MAILCHIMP_API_KEY", cat(rs(csHex, 32), lit("-us12")), cat(rs(csHex, 20), lit("-us12"))),
		keyedCase("mailgun-token", "MAILGUN_API_KEY", pre("key-", rs(csHex, 32)), pre("key-", rs(csHex, 20))),
		keyedCase("mailgun-signing-key", "MAILGUN_SIGNING_KEY",
			cat(rs(csAH, 32), lit("-"), rs(csAH, 8), lit("-"), rs(csAH, 8)), cat(rs(csAH, 20), lit("-"), rs(csAH, 8))),
		{id: "mapbox-api-token",
			tp: func(g *gen) (string, string) {
				s := "pk.eyJ" + g.s(csURL, 60) + "." + g.s(csURL, 22)
				return "MAPBOX=" + s, s
			},
			tn: func(g *gen) string { return "MAPBOX=pk.eyJ" + g.s(csURL, 10) }},
		keyedCase("messagebird-api-token", "MESSAGEBIRD_API_KEY", rs(csLN, 25), rs(csLN, 10)),
		keyedCase("messagebird-client-id", "MESSAGEBIRD_CLIENT_ID", uuid, rs(csHex, 8)),
		tokCase("new-relic-user-api-key", "NRAK-", csUN, 27, 10),
		keyedCase("new-relic-user-api-id", "NEW_RELIC_API_ID", rs(csUN, 64), rs(csUN, 30)),
		tokCase("new-relic-browser-api-token", "NRJS-", csHex, 19, 10),
		tokCase("npm-access-token", "npm_", csAN, 36, 20),
		{id: "npmrc-auth-token", path: "home/app/.npmrc",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 40)
				return "//registry.npmjs.org/:_authToken=" + s, s
			},
			tn: func(g *gen) string { return "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" }},
		tokCase("planetscale-password", "pscale_pw_", csURL, 43, 10),
		tokCase("planetscale-api-token", "pscale_tkn_", csURL, 43, 10),
		tokCase("private-packagist-token", "packagist_uut_", csHex, 68, 30),
		{id: "postman-api-token",
			tp: func(g *gen) (string, string) {
				s := "PMAK-" + g.s(csHex, 24) + "-" + g.s(csHex, 34)
				return "P=" + s, s
			},
			tn: func(g *gen) string { return "P=PMAK-" + g.s(csHex, 10) }},
		tokCase("pulumi-api-token", "pul-", csHex, 40, 20),
		tokCase("rubygems-api-token", "rubygems_", csHex, 48, 20),
		{id: "sendgrid-api-token",
			tp: func(g *gen) (string, string) { s := "SG." + g.s(csURL, 22) + "." + g.s(csURL, 43); return "SG=" + s, s },
			tn: func(g *gen) string { return "msg.Send(" + g.s(csAN, 10) + ")\nSG=SG." + g.s(csURL, 10) }},
		{id: "sendinblue-api-token",
			tp: func(g *gen) (string, string) {
				s := "xkeysib-" + g.s(csHex, 64) + "-" + g.s(csAN, 16)
				return "S=" + s, s
			},
			tn: func(g *gen) string { return "S=xkeysib-" + g.s(csHex, 20) }},
		tokCase("shippo-api-token", "shippo_live_", csHex, 40, 20),
		keyedCase("linkedin-client-secret", "LINKEDIN_CLIENT_SECRET", rs(csLower, 16), rs(csLower, 8)),
		keyedCase("linkedin-client-id", "LINKEDIN_CLIENT_ID", rs(csLN, 14), rs(csLN, 8)),
		keyedCase("twitch-api-token", "TWITCH_API_TOKEN", rs(csLN, 30), rs(csLN, 10)),
		tokCase("typeform-api-token", "tfp_", csURL, 59, 20),
		{id: "dockerconfig-secret",
			tp: func(g *gen) (string, string) {
				s := "eyJ" + g.s(csB64, 60)
				return "data:\n  .dockerconfigjson: " + s + "\n", s
			},
			tn: func(g *gen) string { return "data:\n  .dockerconfigjson: ${DOCKER_CONFIG}\n" }},
		{id: "docker-config-auth", path: "root/.docker/config.json",
			tp: func(g *gen) (string, string) {
				s := base64.StdEncoding.EncodeToString([]byte("ci-user:" + g.s(csAN, 14)))
				return "{\"auths\": {\"registry.example.com\": {\"auth\": \"" + s + "\"}}}", s
			},
			tn: func(g *gen) string {
				return "{\"auths\": {\"r\": {\"auth\": \"" + base64.StdEncoding.EncodeToString([]byte(g.s(csAN, 14))) + "\"}}}"
			}},
		{id: "symfony-secret",
			tp: func(g *gen) (string, string) { s := g.s(csHex, 32); return "APP_ENV=prod\nAPP_SECRET=" + s + "\n", s },
			tn: func(g *gen) string { return "APP_SECRET=" + g.s(csHex, 20) }},
		{id: "azure-cosmosdb-account-key",
			tp: func(g *gen) (string, string) {
				s := g.s(csB64, 86) + "=="
				return "COSMOS=AccountEndpoint=https://demo.documents.azure.com:443/;AccountKey=" + s + ";", s
			},
			tn: func(g *gen) string {
				return "COSMOS=AccountEndpoint=https://demo.documents.azure.com:443/;AccountKey=" + g.s(csB64, 20) + "==;"
			}},
		{id: "azure-storage-account-key",
			tp: func(g *gen) (string, string) {
				s := g.s(csB64, 86) + "=="
				return "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=" + s + ";EndpointSuffix=core.windows.net", s
			},
			tn: func(g *gen) string { return "AccountName=demo;AccountKey=" + g.s(csB64, 30) + "==;" }},
		{id: "azure-storage-sas-token",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 43) + "%3D"
				return "https://demo.blob.core.windows.net/c/f?sv=2022-11-02&ss=b&srt=sco&sp=r&se=2030-01-01T00:00:00Z&sig=" + s, s
			},
			tn: func(g *gen) string {
				return "https://demo.blob.core.windows.net/c/f?sv=2022-11-02&ss=b&sig=" + g.s(csAN, 10)
			}},
		{id: "azure-client-secret",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 3) + "8Q~" + g.s(csAzure, 34)
				return `AZURE_CLIENT_SECRET="` + s + `"`, s
			},
			tn: func(g *gen) string { return `AZURE_CLIENT_SECRET="` + g.s(csAN, 3) + "xQ~" + g.s(csAN, 10) + `"` }},
		{id: "azure-servicebus-connection-string",
			tp: func(g *gen) (string, string) {
				s := g.s(csB64, 43) + "="
				return "SB=Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + s, s
			},
			tn: func(g *gen) string {
				return "SB=Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + g.s(csB64, 20) + "="
			}},
		{id: "azure-iothub-connection-string",
			tp: func(g *gen) (string, string) {
				s := g.s(csB64, 43) + "="
				return "IOT=HostName=demo.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=" + s, s
			},
			tn: func(g *gen) string {
				return "IOT=HostName=demo.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=" + g.s(csB64, 20)
			}},
		{id: "azure-app-configuration-connection-string",
			tp: func(g *gen) (string, string) {
				s := g.s(csB64, 43) + "="
				return "APPCONF=Endpoint=https://demo.azconfig.io;Id=" + g.s(csAN, 4) + "-l0-s0:" + g.s(csAN, 20) + ";Secret=" + s, s
			},
			tn: func(g *gen) string {
				return "APPCONF=Endpoint=https://demo.azconfig.io;Id=" + g.s(csAN, 4) + ";Secret=" + g.s(csB64, 20)
			}},
		keyedCase("azure-devops-pat", "AZURE_DEVOPS_PAT", rs(csB32, 52), rs(csB32, 30)),
		{id: "maven-settings-password", path: "root/.m2/settings.xml",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 12) + "!7"
				return "<server>\n  <id>repo</id>\n  <password>" + s + "</password>\n</server>", s
			},
			tn: func(g *gen) string {
				return "<server>\n  <password>${env.MAVEN_PASSWORD}</password>\n</server>\n<!-- sample\n<server>\n  <password>" +
					g.s(csAN, 12) + "</password>\n</server>\n-->"
			}},
		{id: "maven-settings-passphrase", path: "root/.m2/settings.xml",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 16)
				return "<server>\n  <passphrase>" + s + "</passphrase>\n</server>", s
			},
			tn: func(g *gen) string { return "<server>\n  <passphrase>${env.GPG_PASSPHRASE}</passphrase>\n</server>" }},
		{id: "maven-master-password", path: "root/.m2/settings-security.xml",
			tp: func(g *gen) (string, string) {
				s := "{" + g.s(csB64, 40) + "=}"
				return "<settingsSecurity>\n  <master>" + s + "</master>\n</settingsSecurity>", s
			},
			tn: func(g *gen) string { return "<settingsSecurity>\n  <master>plain</master>\n</settingsSecurity>" }},
		{id: "openai-api-key",
			tp: func(g *gen) (string, string) {
				s := "sk-" + g.s(csAN, 20) + "T3BlbkFJ" + g.s(csAN, 20)
				return "K=" + s, s
			},
			tn: func(g *gen) string { return "K=sk-" + g.s(csAN, 20) + "T3BlbkFJ" + g.s(csAN, 5) }},
		openaiCase("openai-project-api-key", "sk-proj-"),
		openaiCase("openai-service-account-api-key", "sk-svcacct-"),
		openaiCase("openai-admin-api-key", "sk-admin-"),
		openaiCase("openai-user-api-key", "sk-None-"),
		keyedCase("openai-keyed-api-key", "OPENAI_API_KEY", pre("sk-", rs(csAN, 48)), pre("sk-", rs(csAN, 10))),
		{id: "anthropic-api-key",
			tp: func(g *gen) (string, string) { s := "sk-ant-api03-" + g.s(csURL, 93) + "AA"; return "A=" + s, s },
			tn: func(g *gen) string { return "A=sk-ant-api03-" + g.s(csURL, 40) }},
		{id: "anthropic-admin-api-key",
			tp: func(g *gen) (string, string) { s := "sk-ant-admin01-" + g.s(csURL, 93) + "AA"; return "A=" + s, s },
			tn: func(g *gen) string { return "A=sk-ant-admin01-" + g.s(csURL, 40) }},
		tokCase("digitalocean-pat", "dop_v1_", csHex, 64, 30),
		tokCase("digitalocean-oauth-token", "doo_v1_", csHex, 64, 30),
		tokCase("digitalocean-refresh-token", "dor_v1_", csHex, 64, 30),
		tokCase("sentry-user-token", "sntryu_", csHex, 64, 30),
		tokCase("sentry-org-token", "sntrys_eyJ", csB64, 100, 20),
		tokCase("square-access-token", "sq0atp-", csURL, 22, 10),
		tokCase("square-oauth-secret", "sq0csp-", csURL, 43, 10),
		{id: "telegram-bot-token",
			tp: func(g *gen) (string, string) { s := g.s(csDigit, 10) + ":AA" + g.s(csURL, 33); return "BOT=" + s, s },
			tn: func(g *gen) string { return "BOT=" + g.s(csDigit, 10) + ":AA" + g.s(csURL, 10) }},
		{id: "connection-string-password",
			tp: func(g *gen) (string, string) {
				s := g.s(csAN, 12) + "9"
				return "DATABASE_URL=postgres://admin:" + s + "@db.internal:5432/app", s
			},
			tn: func(g *gen) string {
				return "DATABASE_URL=postgres://app:app@db:5432/app\nurl: https://github.com/trawlsec/trawl\nDB=mysql://root:${DB_PASS}@db/app\n" +
					"doc: https://me:" + g.s(csAN, 12) + "@www.example.com/x"
			}},
		{id: "generic-password",
			tp: func(g *gen) (string, string) { s := g.s(csAN, 10) + "#1"; return kv("DB_PASSWORD", s), s },
			tn: func(g *gen) string {
				return "password = config.db_password\npassword: changeme123\npassword=${DB_PASS}\npass = getPassword()\n" +
					"if password == \"\" {\npassword: aaaaaaaaaaaa\n--- PASS: TestSomething7 (0.01s)\nPWD=/home/u1/work\n" +
					"f.pass = &emptyPass1\nbuilder.WriteString(\"password=longpasswordwithmanycharacters123456789\")\n" +
					"X_PATH_PASSWD = \"/etc/passwd\"\nX_PATH_MASTERPASSWD = \"/etc/master.passwd\"\nDB_PASS=MY_DB_PASS_2\nconst NTE_INCORRECT_PASSWORD = -2146893819"
			}},
		{id: "generic-secret",
			tp: func(g *gen) (string, string) { s := g.s(csAN, 30) + "7a"; return `client_secret: "` + s + `"`, s },
			tn: func(g *gen) string {
				return "token: aaaaaaaaaaaaaaaaaaaa\napi_key = self.config.api_key_value\nsecret: your_secret_here_123456\n" +
					"tokenizer: bert-base-uncased-v1\nnToken = FTS5_MAX_TOKEN_SIZE\nsecret_file: /run/secrets/db_pass2"
			}},
	}
}

func openaiCase(id, prefix string) ruleCase {
	return ruleCase{id: id,
		tp: func(g *gen) (string, string) {
			s := prefix + g.s(csURL, 40) + "T3BlbkFJ" + g.s(csURL, 40)
			return "OPENAI=" + s, s
		},
		tn: func(g *gen) string { return "KEY=" + prefix + g.s(csURL, 40) },
	}
}

func builtinScanner(t testing.TB) *Scanner {
	t.Helper()
	s, err := NewScanner(Config{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuiltinRuleCounts(t *testing.T) {
	rules, err := BuiltinRules()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	cats := map[string]bool{}
	kebab := regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	for _, r := range rules {
		if ids[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		ids[r.ID] = true
		cats[r.Category] = true
		if !kebab.MatchString(r.ID) {
			t.Errorf("rule id %q is not kebab-case", r.ID)
		}
		if !validSeverity(r.Severity) || r.Severity == SeverityUnknown {
			t.Errorf("rule %s: severity %q", r.ID, r.Severity)
		}
		if r.Title == "" || r.Category == "" || len(r.Keywords) == 0 {
			t.Errorf("rule %s: missing title, category or keywords", r.ID)
		}
	}
	if len(rules) < 105 {
		t.Errorf("%d built-in rules, want >= 105", len(rules))
	}
	if len(cats) < 65 {
		t.Errorf("%d categories, want >= 65", len(cats))
	}
	for _, id := range []string{"aws-access-key-id", "aws-secret-access-key", "github-pat", "private-key", "jwt-token",
		"gcp-service-account", "dockerconfig-secret", "azure-storage-account-key", "openai-project-api-key", "hugging-face-access-token"} {
		if !ids[id] {
			t.Errorf("Trivy rule id %s missing", id)
		}
	}
	allow, err := BuiltinAllowRules()
	if err != nil {
		t.Fatal(err)
	}
	var allowIDs []string
	for _, a := range allow {
		allowIDs = append(allowIDs, a.ID)
	}
	slices.Sort(allowIDs)
	trivyAllow := []string{"anaconda-log", "dist-info", "examples", "golang", "locale-dir", "markdown", "node.js",
		"python", "rubygems", "tests", "usr-dirs", "vendor", "wordpress"}
	if !slices.Equal(allowIDs, trivyAllow) {
		t.Errorf("built-in allow rules %v, want Trivy's %v", allowIDs, trivyAllow)
	}
	if n := len(DefaultSkipPatterns()); n != 23 {
		t.Errorf("%d default skip patterns, want Trivy's 23", n)
	}
}

// TestBuiltinRules runs every rule's true positive and true negative.
func TestBuiltinRules(t *testing.T) {
	s := builtinScanner(t)
	cases := map[string]ruleCase{}
	for _, c := range ruleCases() {
		if _, dup := cases[c.id]; dup {
			t.Fatalf("two cases for %s", c.id)
		}
		cases[c.id] = c
	}
	for _, r := range s.rules {
		c, ok := cases[r.ID]
		if !ok {
			t.Errorf("built-in rule %s has no test case", r.ID)
			continue
		}
		delete(cases, r.ID)
		t.Run(r.ID, func(t *testing.T) {
			path := c.path
			if path == "" {
				path = "app/config.env"
			}
			for seed := uint64(1); seed <= 3; seed++ {
				g := newGen(seed)
				content, secret := c.tp(g)
				content = "# settings\n" + content + "\n# end\n"
				got := s.Scan(path, []byte(content))
				var f *findingRef
				for i := range got {
					if got[i].RuleID == r.ID {
						f = &findingRef{i}
					}
				}
				if f == nil {
					t.Fatalf("seed %d: true positive not found in %q; got %v", seed, content, ids(got))
				}
				sec := got[f.i]
				if sec.Category != r.Category || sec.Severity != r.Severity || sec.Title != r.Title {
					t.Errorf("metadata = %q/%q/%q", sec.Category, sec.Severity, sec.Title)
				}
				wantLine := 1 + strings.Count(content[:strings.Index(content, secret)], "\n")
				if sec.StartLine != wantLine {
					t.Errorf("StartLine = %d, want %d", sec.StartLine, wantLine)
				}
				if want := strings.Index(content, secret); sec.Offset != want {
					t.Errorf("Offset = %d, want %d", sec.Offset, want)
				}
				assertCensored(t, sec.Match, sec.Code.Lines, secret)
				cover := keywordsCover
				if r.caseSensitive {
					cover = exactCover
				}
				if r.lineLocal && !cover(lineAround(content, sec.Offset), r.Keywords) {
					t.Errorf("no keyword of %v on the matching line: the line-local prefilter would miss it", r.Keywords)
				}
				tn := "# settings\n" + c.tn(g) + "\n"
				for _, f := range s.Scan(path, []byte(tn)) {
					if f.RuleID == r.ID {
						t.Errorf("seed %d: true negative %q reported: %+v", seed, tn, f.Match)
					}
				}
			}
		})
	}
	for id := range cases {
		t.Errorf("test case for unknown rule %s", id)
	}
}

type findingRef struct{ i int }

func exactCover(text string, kws []string) bool {
	for _, k := range kws {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

func lineAround(content string, off int) string {
	lo := strings.LastIndexByte(content[:off], '\n') + 1
	hi := strings.IndexByte(content[off:], '\n')
	if hi < 0 {
		return content[lo:]
	}
	return content[lo : off+hi]
}
