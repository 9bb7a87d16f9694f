module example.com/old

go 1.16

require example.com/direct v1.0.0

require example.com/listed v0.1.0 // indirect
