# program: perl
# package: perl
# requires: perl
# temp: File::Temp (tempfile, tempdir, the unsafe mktemp), and open(">/tmp/name.$$") with a predictable name
perl -MFile::Temp=tempfile,tempdir -e '
	my ($fh, $name) = tempfile("perlXXXXXX", TMPDIR => 1, UNLINK => 1);
	print $fh "file-temp\n"; close $fh;
	open(my $in, "<", $name) or die; print scalar <$in>;
	my $dir = tempdir(CLEANUP => 1);
	open(my $d, ">", "$dir/f") or die; print $d "in tempdir\n"; close $d;
	print -s "$dir/f", "\n";
	my $u = File::Temp::mktemp("/tmp/perlmkXXXXXX");
	open(my $m, ">", $u) or die "mktemp name: $!"; print $m "x\n"; close $m; unlink $u;
	print "mktemp name used\n";
	my $p = "/tmp/tgcorpus-perl.$$";
	open(my $o, ">", $p) or die "$p: $!"; print $o "predictable\n"; close $o;
	open($o, ">>", $p) or die; print $o "appended\n"; close $o;
	open($o, "<", $p) or die; print <$o>; close $o; unlink $p;
	my $t = File::Temp->new(SUFFIX => ".dat", DIR => ".");
	print $t "obj\n"; print "object ok\n";
'
