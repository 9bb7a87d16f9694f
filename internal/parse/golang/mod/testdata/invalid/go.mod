module example.com/bad

require (
	example.com/dep
