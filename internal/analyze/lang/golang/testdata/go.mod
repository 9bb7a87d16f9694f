module example.com/app

go 1.22.0

toolchain go1.22.5

require example.com/direct v1.2.3

require (
	example.com/ind v0.0.0-20240603093900-cf8a8d29271d // indirect
	example.com/two v2.0.0+incompatible
)
