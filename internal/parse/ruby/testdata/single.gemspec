Gem::Specification.new do |spec|
  spec.name    = 'puma' # web server
  spec.version = "6.4.0".freeze
  spec.license = "BSD-3-Clause"
  spec.name = "ignored-second"
end
