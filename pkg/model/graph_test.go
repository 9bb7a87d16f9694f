package model

import (
	"maps"
	"slices"
	"testing"
)

// TestReachable: reachability through DependsOn from the starts, through a
// cycle and past unknown IDs, with and without an edge filter.
func TestReachable(t *testing.T) {
	pkgs := []Package{
		{ID: "a", DependsOn: []string{"b", "missing"}},
		{ID: "b", DependsOn: []string{"c"}},
		{ID: "c", DependsOn: []string{"a"}}, // a cycle back to a
		{ID: "d", DependsOn: []string{"c"}},
	}
	byID := IndexByID(pkgs)
	got := func(m map[int]bool) []int { return slices.Sorted(maps.Keys(m)) }
	if r := got(Reachable(pkgs, byID, []int{0}, nil)); !slices.Equal(r, []int{0, 1, 2}) {
		t.Errorf("from a: %v", r)
	}
	if r := got(Reachable(pkgs, byID, []int{3}, nil)); !slices.Equal(r, []int{0, 1, 2, 3}) {
		t.Errorf("from d: %v", r)
	}
	noC := func(_ *Package, to int) bool { return pkgs[to].ID != "c" }
	if r := got(Reachable(pkgs, byID, []int{0}, noC)); !slices.Equal(r, []int{0, 1}) {
		t.Errorf("from a without edges into c: %v", r)
	}
	if r := Reachable(pkgs, byID, nil, nil); len(r) != 0 {
		t.Errorf("no starts: %v", r)
	}
}
