package secret

import "sort"

// keywordMatcher is a case-insensitive (ASCII) Aho-Corasick automaton
// compiled to a dense DFA over byte classes. One pass over the content finds
// every occurrence of every keyword; most files never reach a regexp.
//
// The transition table is premultiplied by the class count, and states with
// outputs are numbered last, so the hot loop is one table load and one
// comparison per byte.
type keywordMatcher struct {
	class    [256]uint8
	nclass   int32
	delta    []int32 // (state*nclass + class) -> next state * nclass
	firstOut int32   // premultiplied: states >= firstOut have outputs
	outStart []int32 // per output state (index - firstOut/nclass): offsets into outs
	outs     []int32 // keyword ids
	lens     []int   // keyword lengths by id
}

// hit is one keyword occurrence: keyword id and the offset just past its end.
type hit struct {
	kw  int32
	end int32
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

// newKeywordMatcher builds the automaton. Keywords must be non-empty; ids are
// indexes into kws.
func newKeywordMatcher(kws []string) *keywordMatcher {
	m := &keywordMatcher{lens: make([]int, len(kws))}
	// Byte classes: each distinct (lower-cased) keyword byte gets a class;
	// everything else is class 0.
	var seen [256]bool
	for _, k := range kws {
		for i := 0; i < len(k); i++ {
			seen[lowerASCII(k[i])] = true
		}
	}
	n := uint8(1)
	for b := 0; b < 256; b++ {
		if seen[b] {
			m.class[b] = n
			n++
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		m.class[b] = m.class[b+('a'-'A')]
	}
	nc := int(n)
	m.nclass = int32(nc)

	// Trie.
	type node struct {
		next []int32 // by class, -1 none
		fail int32
		out  []int32
	}
	newNode := func() node {
		nx := make([]int32, nc)
		for i := range nx {
			nx[i] = -1
		}
		return node{next: nx}
	}
	nodes := []node{newNode()}
	for id, k := range kws {
		m.lens[id] = len(k)
		s := int32(0)
		for i := 0; i < len(k); i++ {
			c := m.class[k[i]]
			if nodes[s].next[c] < 0 {
				nodes = append(nodes, newNode())
				nodes[s].next[c] = int32(len(nodes) - 1)
			}
			s = nodes[s].next[c]
		}
		nodes[s].out = append(nodes[s].out, int32(id))
	}
	// BFS: failure links, inherited outputs, full DFA transitions.
	queue := []int32{}
	for c := 0; c < nc; c++ {
		if t := nodes[0].next[c]; t >= 0 {
			nodes[t].fail = 0
			queue = append(queue, t)
		} else {
			nodes[0].next[c] = 0
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < nc; c++ {
			if t := nodes[s].next[c]; t >= 0 {
				nodes[t].fail = nodes[f].next[c]
				queue = append(queue, t)
			} else {
				nodes[s].next[c] = nodes[f].next[c]
			}
		}
	}
	// Renumber: states without outputs first (root stays 0).
	order := make([]int32, 0, len(nodes))
	for i := range nodes {
		if len(nodes[i].out) == 0 {
			order = append(order, int32(i))
		}
	}
	firstOut := len(order)
	for i := range nodes {
		if len(nodes[i].out) > 0 {
			order = append(order, int32(i))
		}
	}
	newID := make([]int32, len(nodes))
	for ni, old := range order {
		newID[old] = int32(ni)
	}
	m.delta = make([]int32, len(nodes)*nc)
	for ni, old := range order {
		for c := 0; c < nc; c++ {
			m.delta[ni*nc+c] = newID[nodes[old].next[c]] * int32(nc)
		}
	}
	m.firstOut = int32(firstOut * nc)
	for _, old := range order[firstOut:] {
		m.outStart = append(m.outStart, int32(len(m.outs)))
		out := append([]int32(nil), nodes[old].out...)
		sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
		m.outs = append(m.outs, out...)
	}
	m.outStart = append(m.outStart, int32(len(m.outs)))
	return m
}

// find appends every keyword occurrence in data to hits.
func (m *keywordMatcher) find(data []byte, hits []hit) []hit {
	delta, cls, fo, nc := m.delta, &m.class, m.firstOut, m.nclass
	s := int32(0)
	for i, b := range data {
		s = delta[s+int32(cls[b])]
		if s >= fo {
			o := (s - fo) / nc
			for _, kw := range m.outs[m.outStart[o]:m.outStart[o+1]] {
				hits = append(hits, hit{kw: kw, end: int32(i + 1)})
			}
		}
	}
	return hits
}

// finder finds keyword occurrences.
type finder interface {
	find(data []byte, hits []hit) []hit
}

// pairMatcher finds keywords by their first three bytes: every position is
// looked up in a 64x64 table indexed by the (case-folded) byte classes of
// its first two bytes, whose entry is a bit set of the classes allowed as
// third byte. Positions are independent of each other, so the loop has no
// carried dependency and runs at a few cycles per byte; the rare candidates
// are verified by comparison. It is used whenever the keywords' first three
// bytes fall into at most 63 classes (true for the built-in rules);
// otherwise the Aho-Corasick DFA is used.
type pairMatcher struct {
	cls    [256]uint8
	third  [64 * 64]uint64 // class pair -> set of allowed third-byte classes
	slot   [64 * 64]uint16 // class pair -> 1 + index into lists
	lists  [][]int32       // keyword ids starting with that pair
	single [256][]int32    // one-byte keywords by folded byte
	kws    [][]byte        // folded keywords
	fold   [256]byte
	short  bool // any one-byte keyword
}

func newPairMatcher(kws []string) (*pairMatcher, bool) {
	m := &pairMatcher{}
	for b := 0; b < 256; b++ {
		m.fold[b] = lowerASCII(byte(b))
	}
	n := uint8(1)
	for _, k := range kws {
		for i := 0; i < len(k) && i < 3; i++ {
			c := lowerASCII(k[i])
			if m.cls[c] == 0 {
				if n == 64 {
					return nil, false
				}
				m.cls[c] = n
				n++
			}
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		m.cls[b] = m.cls[b+('a'-'A')]
	}
	for id, k := range kws {
		fk := []byte(k)
		for i := range fk {
			fk[i] = lowerASCII(fk[i])
		}
		m.kws = append(m.kws, fk)
		if len(fk) == 1 {
			m.single[fk[0]] = append(m.single[fk[0]], int32(id))
			m.short = true
			continue
		}
		pair := int(m.cls[fk[0]])<<6 | int(m.cls[fk[1]])
		if m.slot[pair] == 0 {
			m.lists = append(m.lists, nil)
			m.slot[pair] = uint16(len(m.lists))
		}
		li := m.slot[pair] - 1
		m.lists[li] = append(m.lists[li], int32(id))
		if len(fk) == 2 {
			m.third[pair] = ^uint64(0)
		} else {
			m.third[pair] |= 1 << m.cls[fk[2]]
		}
	}
	return m, true
}

func (m *pairMatcher) find(data []byte, hits []hit) []hit {
	cls, third := &m.cls, &m.third
	if len(data) >= 2 {
		c0, c1 := uint(cls[data[0]]), uint(cls[data[1]])
		for i := 2; i < len(data); i++ {
			c2 := uint(cls[data[i]])
			if third[(c0<<6|c1)&(64*64-1)]>>c2&1 != 0 {
				hits = m.verify(data, i-2, hits)
			}
			c0, c1 = c1, c2
		}
		// The last pair has no third byte: only two-byte keywords fit.
		hits = m.verify(data, len(data)-2, hits)
	}
	if m.short {
		for i, b := range data {
			for _, id := range m.single[m.fold[b]] {
				hits = append(hits, hit{kw: id, end: int32(i + 1)})
			}
		}
		sort.SliceStable(hits, func(a, b int) bool { return hits[a].end < hits[b].end })
	}
	return hits
}

func (m *pairMatcher) verify(data []byte, at int, hits []hit) []hit {
	k := m.slot[int(m.cls[data[at]])<<6|int(m.cls[data[at+1]])]
	if k == 0 {
		return hits
	}
next:
	for _, id := range m.lists[k-1] {
		kw := m.kws[id]
		if at+len(kw) > len(data) {
			continue
		}
		for j := 2; j < len(kw); j++ {
			if m.fold[data[at+j]] != kw[j] {
				continue next
			}
		}
		hits = append(hits, hit{kw: id, end: int32(at + len(kw))})
	}
	return hits
}
