package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trawlsec/trawl/internal/vulndb/osv"
)

// Binary encoding of the pkg and vuln values (schemas 2 and 3).
//
// Every value is a sequence of fields: a count or length is a uvarint, a
// string is its length and bytes, a list is its length and elements, a
// time is its RFC 3339 text (empty for the zero time), and a free-form
// map (database_specific, ecosystem_specific) is its JSON text (empty for
// an empty map), so it decodes to exactly the values a JSON record gives.
//
// A pkg value is the number of entries followed by every entry as a string
// (its encoding prefixed with its length), so that the matcher can decode
// what range evaluation needs (Candidate) and skip the rest. An entry is:
//
//	id, source, versions, ranges, package (ecosystem, name, purl),
//	severity (type, score)…, ecosystem_specific, database_specific
//
// where a range is type, repo, events (introduced, fixed, last_affected,
// limit)…, database_specific. A vuln value (schema 3) is a format byte
// followed by osv.Vulnerability without Affected, field by field in
// declaration order: as is (format 0), or compressed with zstd (format 1,
// then the uvarint length of the uncompressed fields and one zstd frame);
// see zstd.go.

var errCorrupt = errors.New("corrupt value")

type encoder struct {
	b   []byte
	err error
}

func (e *encoder) uint(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *encoder) str(s string) {
	e.uint(len(s))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.uint(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.str("")
		return
	}
	raw, err := t.MarshalText()
	if err != nil && e.err == nil {
		e.err = err
	}
	e.str(string(raw))
}

func (e *encoder) anyMap(m map[string]any) {
	if len(m) == 0 {
		e.str("")
		return
	}
	raw, err := json.Marshal(m)
	if err != nil && e.err == nil {
		e.err = err
	}
	e.str(string(raw))
}

func (e *encoder) severities(ss []osv.Severity) {
	e.uint(len(ss))
	for _, s := range ss {
		e.str(s.Type)
		e.str(s.Score)
	}
}

// decoder reads a value copied into one string: the strings it returns
// are substrings of it.
type decoder struct {
	s   string
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.s = ""
}

// uint reads a uvarint; as it counts bytes or list elements of the value,
// it is at most the length of what is left.
func (d *decoder) uint() int {
	var x uint64
	var shift uint
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		b := d.s[i]
		if b < 0x80 {
			x |= uint64(b) << shift
			if x > uint64(len(d.s)) {
				break
			}
			d.s = d.s[i+1:]
			return int(x)
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	d.fail()
	return 0
}

func (d *decoder) str() string {
	n := d.uint()
	if n > len(d.s) {
		d.fail()
		return ""
	}
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

// strs reads a list of strings; an empty list is nil, as JSON's omitempty
// round trip gives.
func (d *decoder) strs() []string {
	n := d.uint()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() time.Time {
	var t time.Time
	if s := d.str(); s != "" {
		if err := t.UnmarshalText([]byte(s)); err != nil && d.err == nil {
			d.err = err
		}
	}
	return t
}

func (d *decoder) anyMap() map[string]any {
	s := d.str()
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil && d.err == nil {
		d.err = err
	}
	return m
}

func (d *decoder) severities() []osv.Severity {
	n := d.uint()
	if n == 0 {
		return nil
	}
	out := make([]osv.Severity, n)
	for i := range out {
		out[i] = osv.Severity{Type: d.str(), Score: d.str()}
	}
	return out
}

// ranges reads a list of ranges; with maps false, their database_specific
// is skipped.
func (d *decoder) ranges(maps bool) []osv.Range {
	n := d.uint()
	if n == 0 {
		return nil
	}
	out := make([]osv.Range, n)
	for i := range out {
		r := &out[i]
		r.Type = d.str()
		r.Repo = d.str()
		if ne := d.uint(); ne > 0 {
			r.Events = make([]osv.Event, ne)
			for j := range r.Events {
				r.Events[j] = osv.Event{Introduced: d.str(), Fixed: d.str(), LastAffected: d.str(), Limit: d.str()}
			}
		}
		if maps {
			r.DatabaseSpecific = d.anyMap()
		} else {
			d.str()
		}
	}
	return out
}

// entry appends the encoding of one entry of a pkg value.
func (one *encoder) entry(e Entry) {
	a := &e.Affected
	one.str(e.ID)
	one.str(e.Source)
	one.strs(a.Versions)
	one.uint(len(a.Ranges))
	for _, r := range a.Ranges {
		one.str(r.Type)
		one.str(r.Repo)
		one.uint(len(r.Events))
		for _, ev := range r.Events {
			one.str(ev.Introduced)
			one.str(ev.Fixed)
			one.str(ev.LastAffected)
			one.str(ev.Limit)
		}
		one.anyMap(r.DatabaseSpecific)
	}
	one.str(a.Package.Ecosystem)
	one.str(a.Package.Name)
	one.str(a.Package.PURL)
	one.severities(a.Severity)
	one.anyMap(a.EcosystemSpecific)
	one.anyMap(a.DatabaseSpecific)
}

// encodeEntries encodes the pkg value of entries.
func encodeEntries(es []Entry) ([]byte, error) {
	var out, one encoder
	out.uint(len(es))
	for _, e := range es {
		one.b = one.b[:0]
		one.entry(e)
		if one.err != nil {
			return nil, fmt.Errorf("%s: %w", e.ID, one.err)
		}
		out.str(string(one.b))
	}
	return out.b, nil
}

// decodeCandidates decodes a pkg value (copied into s) without the parts
// range evaluation does not need.
func decodeCandidates(s string) ([]Candidate, error) {
	d := decoder{s: s}
	n := d.uint()
	out := make([]Candidate, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		raw := d.str()
		e := decoder{s: raw}
		c := Candidate{ID: e.str(), Source: e.str(), raw: raw}
		c.Versions = e.strs()
		c.Ranges = e.ranges(false)
		if e.err != nil {
			return nil, e.err
		}
		out = append(out, c)
	}
	if d.err != nil || d.s != "" {
		return nil, errCorrupt
	}
	return out, nil
}

// decodeEntry decodes one entry of a pkg value.
func decodeEntry(raw string) (Entry, error) {
	d := decoder{s: raw}
	var e Entry
	e.ID = d.str()
	e.Source = d.str()
	a := &e.Affected
	a.Versions = d.strs()
	a.Ranges = d.ranges(true)
	a.Package = osv.Package{Ecosystem: d.str(), Name: d.str(), PURL: d.str()}
	a.Severity = d.severities()
	a.EcosystemSpecific = d.anyMap()
	a.DatabaseSpecific = d.anyMap()
	if d.err == nil && d.s != "" {
		d.err = errCorrupt
	}
	return e, d.err
}

// encodeVulnFields encodes v (without Affected) field by field.
func encodeVulnFields(v *osv.Vulnerability) ([]byte, error) {
	var e encoder
	e.str(v.SchemaVersion)
	e.str(v.ID)
	e.time(v.Modified)
	e.time(v.Published)
	e.time(v.Withdrawn)
	e.strs(v.Aliases)
	e.strs(v.Related)
	e.strs(v.Upstream)
	e.str(v.Summary)
	e.str(v.Details)
	e.severities(v.Severity)
	e.uint(len(v.References))
	for _, r := range v.References {
		e.str(r.Type)
		e.str(r.URL)
	}
	e.uint(len(v.Credits))
	for _, c := range v.Credits {
		e.str(c.Name)
		e.strs(c.Contact)
		e.str(c.Type)
	}
	e.anyMap(v.DatabaseSpecific)
	return e.b, e.err
}

// decodeVulnFields decodes what encodeVulnFields encoded, copied into s.
func decodeVulnFields(s string) (*osv.Vulnerability, error) {
	d := decoder{s: s}
	v := &osv.Vulnerability{}
	v.SchemaVersion = d.str()
	v.ID = d.str()
	v.Modified = d.time()
	v.Published = d.time()
	v.Withdrawn = d.time()
	v.Aliases = d.strs()
	v.Related = d.strs()
	v.Upstream = d.strs()
	v.Summary = d.str()
	v.Details = d.str()
	v.Severity = d.severities()
	if n := d.uint(); n > 0 {
		v.References = make([]osv.Reference, n)
		for i := range v.References {
			v.References[i] = osv.Reference{Type: d.str(), URL: d.str()}
		}
	}
	if n := d.uint(); n > 0 {
		v.Credits = make([]osv.Credit, n)
		for i := range v.Credits {
			v.Credits[i] = osv.Credit{Name: d.str(), Contact: d.strs(), Type: d.str()}
		}
	}
	v.DatabaseSpecific = d.anyMap()
	if d.err == nil && d.s != "" {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, d.err
	}
	return v, nil
}
