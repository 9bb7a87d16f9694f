Gem::Specification.new do |spec|
  s.name = "async".freeze
  s.version = "1.25.0"
end
