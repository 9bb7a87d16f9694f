// Command tfgen writes a Terraform tree for benchmarking: -roots root
// modules, each calling two local modules (a storage module and a network
// module) and holding its own resources, variables and tfvars, so that a
// scan evaluates variables, locals, module inputs/outputs, count and
// for_each across -files .tf files in all.
//
// Usage: go run ./bench/tfgen -out DIR -files 500
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "", "output folder (created)")
	files := flag.Int("files", 500, "number of .tf files (about)")
	flag.Parse()
	if *out == "" || *files < 10 {
		log.Fatal("tfgen: -out and -files >= 10 are required")
	}
	roots := *files / 10 // 10 .tf files per root: 4 in the root, 3 per module
	n := 0
	write := func(p, body string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
		if filepath.Ext(p) == ".tf" {
			n++
		}
	}
	for r := range roots {
		root := filepath.Join(*out, fmt.Sprintf("env%03d", r))
		write(filepath.Join(root, "variables.tf"), fmt.Sprintf(`variable "name" {
  type    = string
  default = "svc%d"
}

variable "encrypted" {
  type    = bool
  default = %t
}

variable "cidrs" {
  type    = list(string)
  default = ["10.%d.0.0/16", "0.0.0.0/0"]
}
`, r, r%2 == 0, r%250))
		write(filepath.Join(root, "terraform.tfvars"), fmt.Sprintf("name = \"env%03d\"\n", r))
		write(filepath.Join(root, "main.tf"), `locals {
  tags = { env = var.name, owner = "platform" }
}

module "storage" {
  source    = "./modules/storage"
  name      = var.name
  encrypted = var.encrypted
  tags      = local.tags
}

module "network" {
  source = "./modules/network"
  name   = var.name
  cidrs  = var.cidrs
}
`)
		write(filepath.Join(root, "iam.tf"), fmt.Sprintf(`data "aws_iam_policy_document" "app" {
  statement {
    actions   = [%q]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "${var.name}-app"
  policy = data.aws_iam_policy_document.app.json
}
`, []string{"s3:GetObject", "s3:*"}[r%2]))
		write(filepath.Join(root, "outputs.tf"), `output "bucket" {
  value = module.storage.bucket_id
}
`)
		write(filepath.Join(root, "modules/storage/variables.tf"), `variable "name" { type = string }
variable "encrypted" { type = bool }
variable "tags" { type = map(string) }
`)
		write(filepath.Join(root, "modules/storage/main.tf"), `resource "aws_s3_bucket" "data" {
  count  = 3
  bucket = "${var.name}-data-${count.index}"
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "data" {
  count  = 3
  bucket = aws_s3_bucket.data[count.index].id
  versioning_configuration {
    status = count.index == 0 ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  count  = var.encrypted ? 3 : 0
  bucket = aws_s3_bucket.data[count.index].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 40
  encrypted         = var.encrypted
}
`)
		write(filepath.Join(root, "modules/storage/outputs.tf"), `output "bucket_id" {
  value = aws_s3_bucket.data[0].id
}
`)
		write(filepath.Join(root, "modules/network/variables.tf"), `variable "name" { type = string }
variable "cidrs" { type = list(string) }
`)
		write(filepath.Join(root, "modules/network/main.tf"), `resource "aws_security_group" "web" {
  name        = "${var.name}-web"
  description = "web tier"

  dynamic "ingress" {
    for_each = var.cidrs
    content {
      description = "https"
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "db" {
  identifier        = "${var.name}-db"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  storage_encrypted = length(var.cidrs) > 1
}
`)
		write(filepath.Join(root, "modules/network/outputs.tf"), `output "sg" {
  value = aws_security_group.web.id
}
`)
	}
	fmt.Printf("tfgen: %d root modules, %d .tf files under %s\n", roots, n, *out)
}
