module example.com/nogo

require example.com/dep v1.0.0
