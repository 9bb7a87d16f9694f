module example.com/app

go 1.17

require (
	example.com/swapped v1.0.0
	example.com/pinned v1.1.0
	example.com/mismatch v1.2.0
	example.com/local v0.3.0 // indirect
	example.com/excluded v0.9.0
)

replace example.com/swapped => example.com/fork v1.0.1

replace example.com/pinned v1.1.0 => example.com/pinned v1.1.1

replace example.com/mismatch v1.9.9 => example.com/other v1.0.0

replace example.com/local => ./local

exclude example.com/excluded v0.9.0
