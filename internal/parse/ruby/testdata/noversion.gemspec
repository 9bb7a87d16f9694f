Gem::Specification.new do |s|
  s.name = "async".freeze
  s.version = Async::VERSION
end
