package misconfig

import (
	"github.com/trawlsec/trawl/internal/parse/cloudformation"
)

// extendSAM adds the resources of an AWS SAM template (Transform:
// AWS::Serverless-2016-10-31) to the services the transform turns them
// into, so the checks of those services judge them:
// AWS::Serverless::Function → lambda.functions (Tracing), ::Api and
// ::HttpApi → apigateway v1/v2 apis with their stage (AccessLogSetting /
// AccessLogSettings), ::SimpleTable → dynamodb.tables (SSESpecification;
// a simple table has no point-in-time recovery nor customer managed
// key). A property a resource does not set comes from the template's
// Globals section (Function, Api, HttpApi, SimpleTable) with the lines
// of Globals. The APIs SAM creates implicitly for functions' Api and
// HttpApi events (ServerlessRestApi, ServerlessHttpApi) are APIs too,
// configured by Globals only.
func (a *cfnAdapter) extendSAM(svc func(string) map[string]any) {
	add := func(service, list string, objs []any) {
		if len(objs) == 0 {
			return
		}
		l, _ := svc(service)[list].([]any)
		svc(service)[list] = append(l, objs...)
	}
	add("lambda", "functions", a.samFunctions())
	v1 := svc("apigateway")["v1"].(map[string]any)
	v2 := svc("apigateway")["v2"].(map[string]any)
	restAPIs, httpAPIs := a.samAPIs()
	l1, _ := v1["apis"].([]any)
	v1["apis"] = append(l1, restAPIs...)
	l2, _ := v2["apis"].([]any)
	v2["apis"] = append(l2, httpAPIs...)
	add("dynamodb", "tables", a.samSimpleTables())
}

// samProp is the property key of resource r, or of Globals.<section>
// when r does not set it: the object holding it (m nil when neither
// does; lines then the resource's).
func (a *cfnAdapter) samProp(r *cloudformation.Resource, section, key string) cfnObj {
	p := props(r)
	if _, ok := p.m[key]; ok {
		return p
	}
	if g, ok := a.globals[section].(map[string]any); ok {
		if _, ok := g[key]; ok {
			return cfnObj{r: r, m: g}
		}
	}
	return p
}

func (a *cfnAdapter) samFunctions() []any {
	var out []any
	for _, r := range a.byType["AWS::Serverless::Function"] {
		m := a.object(cfnObj{r: r})
		tr := a.object(cfnObj{r: r})
		tr["mode"] = a.val(a.samProp(r, "Function", "Tracing"), "Tracing", "string", "PassThrough")
		m["tracing"] = tr
		m["permissions"] = []any{}
		out = append(out, m)
	}
	return out
}

// samStage is the stage of a SAM API: its access log destination, from
// the API's logKey (or Globals.<section>'s).
func (a *cfnAdapter) samStage(r *cloudformation.Resource, section, logKey string) map[string]any {
	o := a.samProp(r, section, logKey)
	als := o.child(logKey)
	if als.m == nil {
		als = cfnObj{r: r, m: nil}
	}
	st := a.object(cfnObj{r: r})
	al := a.object(als)
	al["cloudwatchloggrouparn"] = a.val(als, "DestinationArn", "string", "")
	st["accesslogging"] = al
	return st
}

func (a *cfnAdapter) samAPIs() (rest, http []any) {
	for _, t := range []struct {
		typ, section, logKey, event string
		out                         *[]any
	}{
		{"AWS::Serverless::Api", "Api", "AccessLogSetting", "Api", &rest},
		{"AWS::Serverless::HttpApi", "HttpApi", "AccessLogSettings", "HttpApi", &http},
	} {
		for _, r := range a.byType[t.typ] {
			api := a.object(cfnObj{r: r})
			api["stages"] = []any{a.samStage(r, t.section, t.logKey)}
			*t.out = append(*t.out, api)
		}
		// The implicit API: the first function with an event of this
		// type that names no API of its own stands for it.
		if fn := a.implicitAPIFunction(t.event); fn != nil {
			api := a.object(cfnObj{r: fn})
			api["stages"] = []any{a.samStage(&cloudformation.Resource{ID: fn.ID, StartLine: fn.StartLine, EndLine: fn.EndLine}, t.section, t.logKey)}
			*t.out = append(*t.out, api)
		}
	}
	return rest, http
}

// implicitAPIFunction is the first AWS::Serverless::Function with an
// event of type typ (Api or HttpApi) without RestApiId/ApiId, nil when
// none.
func (a *cfnAdapter) implicitAPIFunction(typ string) *cloudformation.Resource {
	idKey := map[string]string{"Api": "RestApiId", "HttpApi": "ApiId"}[typ]
	for _, r := range a.byType["AWS::Serverless::Function"] {
		events, _ := r.Properties["Events"].(map[string]any)
		for name, e := range events {
			em, ok := e.(map[string]any)
			if name == cloudformation.MetadataKey || !ok || em["Type"] != typ {
				continue
			}
			ep, _ := em["Properties"].(map[string]any)
			if _, named := ep[idKey]; !named {
				return r
			}
		}
	}
	return nil
}

func (a *cfnAdapter) samSimpleTables() []any {
	var out []any
	for _, r := range a.byType["AWS::Serverless::SimpleTable"] {
		m := a.object(cfnObj{r: r})
		p := props(r)
		// A simple table cannot enable point-in-time recovery.
		m["pointintimerecovery"] = withValue(a.meta(p, r.StartLine, r.EndLine, false), false)
		sse := a.samProp(r, "SimpleTable", "SSESpecification").child("SSESpecification")
		if sse.m == nil {
			sse = cfnObj{r: r}
		}
		enc := a.object(sse)
		enc["enabled"] = a.val(sse, "SSEEnabled", "bool", false)
		s, e := sse.lines()
		enc["kmskeyid"] = withValue(a.meta(sse, s, e, false), "")
		m["serversideencryption"] = enc
		out = append(out, m)
	}
	return out
}
