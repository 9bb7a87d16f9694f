package model

// IndexByID maps each package's ID to its index in pkgs.
func IndexByID(pkgs []Package) map[string]int {
	byID := make(map[string]int, len(pkgs))
	for i := range pkgs {
		byID[pkgs[i].ID] = i
	}
	return byID
}

// Reachable is the set of the indexes of pkgs reachable from starts
// (themselves included) through DependsOn; byID is IndexByID(pkgs).
// follow, when not nil, decides whether the edge from → to is taken.
func Reachable(pkgs []Package, byID map[string]int, starts []int, follow func(from *Package, to int) bool) map[int]bool {
	seen := map[int]bool{}
	stack := append([]int(nil), starts...)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		for _, d := range pkgs[i].DependsOn {
			if j, ok := byID[d]; ok && !seen[j] && (follow == nil || follow(&pkgs[i], j)) {
				stack = append(stack, j)
			}
		}
	}
	return seen
}
