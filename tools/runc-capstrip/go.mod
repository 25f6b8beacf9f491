module podlaw.local/runc-capstrip

go 1.22
