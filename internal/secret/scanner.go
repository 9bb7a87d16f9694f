// Package secret finds secrets (API keys, tokens, private keys, passwords)
// in file contents. Rules are RE2 regexps gated by keywords: one pass of a
// case-insensitive multi-keyword automaton over the file decides which rules
// run at all, and built-in rules then run only on the lines where one of
// their keywords occurs. The configuration format is Trivy's
// trivy-secret.yaml.
package secret

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/trawlsec/trawl/pkg/model"
)

const (
	// MinSize is the smallest file scanned, in bytes.
	MinSize = 10
	// binaryProbe is how many leading bytes the binary check inspects.
	binaryProbe = 300
	// contextLines is the number of lines shown on each side of a finding.
	contextLines = 2
	// maxLineLength is the longest line shown whole; longer lines are cut
	// around the secret and marked Truncated.
	maxLineLength = 256
)

// Scanner scans file contents for secrets. It is safe for concurrent use.
type Scanner struct {
	rules      []Rule
	pathAllow  []AllowRule // path-only allow rules with a regexp: skip the whole file
	fastAllow  pathMatcher // the built-in path allow rules, merged
	matchAllow []AllowRule // allow rules with a regex on the match
	exclude    ExcludeBlock
	skip       *skipSet
	configBase string

	kw      finder
	kwRules [][]gate // keyword id -> rules it gates
	ungated []int32  // rules with no keywords

	scratch sync.Pool // *scanState
}

// gate links a keyword to a rule; exact is set when the rule needs the
// keyword in that exact case.
type gate struct {
	rule  int32
	exact []byte
}

type scanState struct {
	hits   []hit
	active []bool
	pos    [][]int32
}

// NewScanner compiles cfg (built-in rules included unless disabled).
func NewScanner(cfg Config) (*Scanner, error) {
	c, err := compileConfig(cfg)
	if err != nil {
		return nil, err
	}
	patterns := cfg.SkipPatterns
	if patterns == nil {
		patterns = DefaultSkipPatterns()
	}
	skip, err := newSkipSet(patterns)
	if err != nil {
		return nil, err
	}
	s := &Scanner{rules: c.rules, exclude: c.exclude, skip: skip, configBase: configBase(cfg.Path)}
	for _, a := range c.allow {
		switch {
		case a.fast != nil:
			s.fastAllow.prefixes = append(s.fastAllow.prefixes, a.fast.prefixes...)
			s.fastAllow.suffixes = append(s.fastAllow.suffixes, a.fast.suffixes...)
			s.fastAllow.contains = append(s.fastAllow.contains, a.fast.contains...)
			s.fastAllow.dirs = append(s.fastAllow.dirs, a.fast.dirs...)
			s.fastAllow.names = append(s.fastAllow.names, a.fast.names...)
		case a.Regex == nil:
			s.pathAllow = append(s.pathAllow, a)
		default:
			s.matchAllow = append(s.matchAllow, a)
		}
	}
	s.fastAllow.index()
	ids := map[string]int32{}
	var kws []string
	for i, r := range s.rules {
		if len(r.Keywords) == 0 {
			s.ungated = append(s.ungated, int32(i))
			continue
		}
		for _, k := range r.Keywords {
			lk := foldASCII(k)
			id, ok := ids[lk]
			if !ok {
				id = int32(len(kws))
				ids[lk] = id
				kws = append(kws, lk)
				s.kwRules = append(s.kwRules, nil)
			}
			g := gate{rule: int32(i)}
			if r.caseSensitive {
				g.exact = []byte(k)
			}
			s.kwRules[id] = append(s.kwRules[id], g)
		}
	}
	if pm, ok := newPairMatcher(kws); ok {
		s.kw = pm
	} else {
		s.kw = newKeywordMatcher(kws)
	}
	nr := len(s.rules)
	s.scratch.New = func() any {
		return &scanState{active: make([]bool, nr), pos: make([][]int32, nr)}
	}
	return s, nil
}

// foldASCII lower-cases ASCII letters only, as the keyword matchers do, so
// a keyword keeps its length.
func foldASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	return string(b)
}

// Rules returns the enabled rules in precedence order.
func (s *Scanner) Rules() []Rule { return cloneRules(s.rules) }

// Required reports whether a file should be scanned at all, from its path
// alone: skip patterns, the config file itself and path-only allow rules.
// It uses string comparisons only for the built-in allow rules and the
// common skip-pattern shapes.
func (s *Scanner) Required(p string) bool {
	if s.skip.match(p) {
		return false
	}
	if s.configBase != "" && path.Base(p) == s.configBase {
		return false
	}
	return !s.allowedPath(p)
}

func (s *Scanner) allowedPath(p string) bool {
	tp := trimPath(p)
	if s.fastAllow.match(tp) {
		return true
	}
	for i := range s.pathAllow {
		if s.pathAllow[i].matchPath(tp) {
			return true
		}
	}
	return false
}

// IsBinary reports whether content looks binary: a NUL or another control
// character other than common whitespace and ESC in the first 300 bytes.
func IsBinary(content []byte) bool {
	n := min(len(content), binaryProbe)
	for _, b := range content[:n] {
		if b < 0x20 {
			switch b {
			case '\t', '\n', '\r', '\f', '\v', '\b', 0x1b:
				continue
			}
			return true
		}
	}
	return false
}

// match is one accepted rule match before rendering.
type match struct {
	rule       int
	start, end int // secret
}

// Scan returns the secrets found in content, the file at path (slash
// separated, relative to the artifact root). Files shorter than MinSize,
// binary files (except .pyc) and files allowed by path are skipped; skip
// patterns are Required's business.
func (s *Scanner) Scan(p string, content []byte) []model.Secret {
	res, _ := s.ScanContext(context.Background(), p, content)
	return res.Secrets
}

// MaxFindingsPerRule caps the findings of one rule in one file: a file
// that matches a rule thousands of times (a generated dump, a hostile file
// of "password=" lines) is reported with its first findings and a
// warning, instead of costing time and memory without bound.
const MaxFindingsPerRule = 100

// Result is what ScanContext found in one file.
type Result struct {
	Secrets []model.Secret
	// Capped lists the IDs of the rules that matched more than
	// MaxFindingsPerRule times; their further findings are not reported.
	Capped []string
}

// ctxEvery is how many match windows are searched between two checks of
// the context.
const ctxEvery = 512

// ScanContext is Scan that stops when ctx ends (checked between rules and
// every few hundred match windows) and reports which rules were capped.
func (s *Scanner) ScanContext(ctx context.Context, p string, content []byte) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if len(content) < MinSize || len(content) > math.MaxInt32 {
		return Result{}, nil
	}
	if IsBinary(content) && !strings.HasSuffix(p, ".pyc") {
		return Result{}, nil
	}
	if s.allowedPath(p) {
		return Result{}, nil
	}
	st := s.scratch.Get().(*scanState)
	defer s.release(st)

	st.hits = s.kw.find(content, st.hits[:0])
	active := false
	for _, h := range st.hits {
		for _, g := range s.kwRules[h.kw] {
			if g.exact != nil && !bytes.Equal(content[int(h.end)-len(g.exact):h.end], g.exact) {
				continue
			}
			ri := g.rule
			if !st.active[ri] {
				st.active[ri] = true
				active = true
			}
			if s.rules[ri].lineLocal {
				st.pos[ri] = append(st.pos[ri], h.end-1)
			}
		}
	}
	for _, ri := range s.ungated {
		st.active[ri] = true
		active = true
	}
	if !active {
		return Result{}, nil
	}

	var found []match
	var blocks [][2]int
	var res Result
	blocksDone := false
	for ri := range s.rules {
		if !st.active[ri] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		r := &s.rules[ri]
		if r.Path != nil && !r.Path.MatchString(p) {
			continue
		}
		if ruleAllowsPath(r, p) {
			continue
		}
		before := len(found)
		capped := false
		if r.lineLocal && len(st.pos[ri]) > 0 {
			slices.Sort(st.pos[ri])
			windows := 0
			var err error
			forEachWindow(content, st.pos[ri], r.span, func(lo, hi int) bool {
				if windows++; windows%ctxEvery == 0 {
					if err = ctx.Err(); err != nil {
						return false
					}
				}
				found, capped = s.matchRule(found, before, ri, p, content, lo, hi)
				return !capped
			})
			if err != nil {
				return Result{}, err
			}
		} else {
			found, capped = s.matchRule(found, before, ri, p, content, 0, len(content))
		}
		if capped {
			res.Capped = append(res.Capped, r.ID)
		}
		if len(found) > 0 && !blocksDone && len(s.exclude.Regexes) > 0 {
			blocks = findBlocks(s.exclude, content)
			blocksDone = true
		}
	}
	if len(found) == 0 {
		return res, nil
	}
	if len(blocks) > 0 {
		found = dropInBlocks(found, blocks)
	}
	found = s.dedup(found)
	res.Secrets = s.render(content, found)
	return res, nil
}

func (s *Scanner) release(st *scanState) {
	for i := range st.active {
		st.active[i] = false
		st.pos[i] = st.pos[i][:0]
		if cap(st.pos[i]) > 1<<14 {
			st.pos[i] = nil
		}
	}
	if cap(st.hits) > 1<<16 {
		st.hits = nil
	}
	s.scratch.Put(st)
}

func ruleAllowsPath(r *Rule, p string) bool {
	for i := range r.AllowRules {
		if r.AllowRules[i].matchPath(p) {
			return true
		}
	}
	return false
}

// forEachWindow calls fn with each window [lo, hi) around the sorted
// keyword positions: the position's line (without its newline), narrowed to
// span bytes (plus one) on each side when span > 0. Overlapping windows are
// merged; windows never cross a line break.
// fn returns false to stop.
func forEachWindow(content []byte, pos []int32, span int, fn func(lo, hi int) bool) {
	wlo, whi := -1, -1
	for _, q := range pos {
		at := int(q)
		lo, hi := windowAround(content, at, span)
		if wlo >= 0 && lo < whi {
			whi = max(whi, hi)
			continue
		}
		if wlo >= 0 && !fn(wlo, whi) {
			return
		}
		wlo, whi = lo, hi
	}
	if wlo >= 0 {
		fn(wlo, whi)
	}
}

func windowAround(content []byte, at, span int) (lo, hi int) {
	from, to := 0, len(content)
	if span > 0 {
		from, to = max(at-span-1, 0), min(at+span+2, len(content))
	}
	lo = from + bytes.LastIndexByte(content[from:at], '\n') + 1
	if i := bytes.IndexByte(content[at:to], '\n'); i >= 0 {
		hi = at + i
	} else {
		hi = to
	}
	return lo, hi
}

// matchRule runs rule ri over content[lo:hi] and appends accepted matches;
// found[from:] are the rule's matches so far. capped is true once the rule
// has more than MaxFindingsPerRule: the extra match is dropped and the
// caller stops.
func (s *Scanner) matchRule(found []match, from, ri int, p string, content []byte, lo, hi int) (_ []match, capped bool) {
	r := &s.rules[ri]
	window := content[lo:hi]
	if r.need != nil && !bytes.Contains(window, r.need) {
		return found, false
	}
	// One window never holds more candidates than this (a line holds a
	// few); it bounds the index slices a whole-file rule can ask for.
	for _, loc := range r.Regex.FindAllSubmatchIndex(window, maxCandidates) {
		ms, me := loc[0], loc[1]
		ss, se := ms, me
		if r.group > 0 {
			ss, se = loc[2*r.group], loc[2*r.group+1]
			if ss < 0 {
				continue
			}
		}
		if se == ss {
			continue
		}
		m, sec := window[ms:me], window[ss:se]
		if r.valid != nil && !r.valid(m, sec) {
			continue
		}
		if r.builtin && !r.keep(sec) {
			continue
		}
		if allowed(r.AllowRules, p, sec, m) || allowed(s.matchAllow, p, sec, m) {
			continue
		}
		if len(r.ExcludeBlock.Regexes) > 0 && inBlocks(findBlocks(r.ExcludeBlock, content), lo+ss, lo+se) {
			continue
		}
		if len(found)-from >= MaxFindingsPerRule {
			return found, true
		}
		found = append(found, match{rule: ri, start: lo + ss, end: lo + se})
	}
	return found, false
}

// maxCandidates bounds the regexp matches examined in one window.
const maxCandidates = 16 * MaxFindingsPerRule

func allowed(rules []AllowRule, p string, texts ...[]byte) bool {
	for i := range rules {
		if rules[i].allowsMatch(p, texts...) {
			return true
		}
	}
	return false
}

func findBlocks(eb ExcludeBlock, content []byte) [][2]int {
	var out [][2]int
	for _, re := range eb.Regexes {
		for _, l := range re.FindAllIndex(content, -1) {
			out = append(out, [2]int{l[0], l[1]})
		}
	}
	return out
}

func inBlocks(blocks [][2]int, start, end int) bool {
	for _, b := range blocks {
		if start >= b[0] && end <= b[1] {
			return true
		}
	}
	return false
}

func dropInBlocks(found []match, blocks [][2]int) []match {
	out := found[:0]
	for _, m := range found {
		if !inBlocks(blocks, m.start, m.end) {
			out = append(out, m)
		}
	}
	return out
}

// dedup keeps one finding per overlapping secret span: a specific rule
// over a generic one, then the highest severity, then the rule listed first.
func (s *Scanner) dedup(found []match) []match {
	better := func(a, b match) bool {
		if ga, gb := s.rules[a.rule].generic, s.rules[b.rule].generic; ga != gb {
			return gb
		}
		ra, rb := severityRank(s.rules[a.rule].Severity), severityRank(s.rules[b.rule].Severity)
		if ra != rb {
			return ra > rb
		}
		return a.rule < b.rule
	}
	sort.Slice(found, func(i, j int) bool { return better(found[i], found[j]) })
	var kept []match
	for _, m := range found {
		overlap := false
		for _, k := range kept {
			if m.start < k.end && k.start < m.end {
				overlap = true
				break
			}
		}
		if !overlap {
			kept = append(kept, m)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].start != kept[j].start {
			return kept[i].start < kept[j].start
		}
		return kept[i].rule < kept[j].rule
	})
	return kept
}

// render builds the findings: the content is censored once (every secret
// byte but line breaks becomes '*'), then each finding gets its lines.
func (s *Scanner) render(content []byte, found []match) []model.Secret {
	censored := make([]byte, len(content))
	copy(censored, content)
	for _, m := range found {
		for i := m.start; i < m.end; i++ {
			if c := censored[i]; c != '\n' && c != '\r' {
				censored[i] = '*'
			}
		}
	}
	out := make([]model.Secret, 0, len(found))
	line, lineAt := 1, 0 // line number of offset lineAt
	lineOf := func(off int) int {
		if off < lineAt { // found is sorted; only EndLine may look back
			return 1 + bytes.Count(content[:off], []byte{'\n'})
		}
		line += bytes.Count(content[lineAt:off], []byte{'\n'})
		lineAt = off
		return line
	}
	for _, m := range found {
		r := &s.rules[m.rule]
		startLine := lineOf(m.start)
		endLine := startLine + bytes.Count(content[m.start:m.end], []byte{'\n'})
		code, matchLine := codeLines(censored, m, startLine, endLine)
		out = append(out, model.Secret{
			RuleID:    r.ID,
			Category:  r.Category,
			Severity:  r.Severity,
			Title:     r.Title,
			StartLine: startLine,
			EndLine:   endLine,
			Code:      code,
			Match:     matchLine,
			Offset:    m.start,
		})
	}
	return out
}

// codeLines returns the lines startLine-contextLines .. endLine+contextLines
// of the censored content and the (censored) first line of the match.
func codeLines(censored []byte, m match, startLine, endLine int) (model.Code, string) {
	// Start of the first shown line: walk back from the secret's line.
	lineStart := bytes.LastIndexByte(censored[:m.start], '\n') + 1
	first := startLine
	at := lineStart
	for first > 1 && startLine-first < contextLines {
		at = bytes.LastIndexByte(censored[:at-1], '\n') + 1
		first--
	}
	var code model.Code
	var matchLine string
	for n := first; at < len(censored) && n <= endLine+contextLines; n++ {
		e := bytes.IndexByte(censored[at:], '\n')
		var l []byte
		if e < 0 {
			l = censored[at:]
		} else {
			l = censored[at : at+e]
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		isCause := n >= startLine && n <= endLine
		content, truncated := string(l), false
		if len(l) > maxLineLength {
			content, truncated = cutLine(l, at, m, isCause), true
		}
		if n == startLine {
			matchLine = content
		}
		code.Lines = append(code.Lines, model.Line{
			Number: n, Content: content, IsCause: isCause, Truncated: truncated,
			FirstCause: n == startLine, LastCause: n == endLine,
		})
		if e < 0 {
			break
		}
		at += e + 1
	}
	return code, matchLine
}

// cutLine shortens a long line: around the secret on cause lines, the head
// otherwise.
func cutLine(l []byte, lineStart int, m match, isCause bool) string {
	lo, hi := 0, maxLineLength
	if isCause {
		ss := max(m.start-lineStart, 0)
		se := min(m.end-lineStart, len(l))
		lo = max(ss-maxLineLength/4, 0)
		hi = min(max(se+maxLineLength/4, lo+maxLineLength), len(l))
	}
	return string(l[lo:hi])
}

// Digest identifies the effective configuration (rules, allow rules,
// exclude blocks, skip patterns). Results of one file differ between two
// scanners only if their digests differ, so it belongs in cache keys.
func (s *Scanner) Digest() string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			fmt.Fprintf(h, "%d:%s", len(p), p)
		}
	}
	re := func(r *regexp.Regexp) string {
		if r == nil {
			return ""
		}
		return r.String()
	}
	allow := func(as []AllowRule) {
		for _, a := range as {
			w("allow", a.ID, re(a.Regex), re(a.Path))
		}
	}
	for _, r := range s.rules {
		w("rule", r.ID, r.Category, r.Title, r.Severity, re(r.Regex), r.SecretGroupName, re(r.Path))
		w(r.Keywords...)
		allow(r.AllowRules)
		for _, x := range r.ExcludeBlock.Regexes {
			w("exclude", x.String())
		}
	}
	allow(s.pathAllow)
	allow(s.matchAllow)
	w("fast-allow", fmt.Sprint(s.fastAllow))
	for _, x := range s.exclude.Regexes {
		w("exclude", x.String())
	}
	w("skip", fmt.Sprint(s.skip.globs, s.skip.suffixes, slices.Sorted(maps.Keys(s.skip.dirs)), slices.Sorted(maps.Keys(s.skip.bases))))
	w("config", s.configBase)
	return hex.EncodeToString(h.Sum(nil))
}
