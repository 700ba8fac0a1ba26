#!/usr/bin/perl
# Stand-in for the kernel's checkpatch.pl, same output format: an added
# line with trailing white space is an error, nothing else is checked.
# Reads the patch from the file named last, from standard input ("-"),
# or, with -g REV, from git (the commit REV of the tree it runs in).
use strict;
use warnings;

my $file = $ARGV[-1];
my ($n, $errors) = (0, 0);
my $fh;
my %opt = map { $_ => 1 } @ARGV;
if ($file eq '-') {
	$fh = \*STDIN;
} elsif ($opt{'-g'} || $opt{'--git'}) {
	open($fh, '-|', 'git', 'format-patch', '--stdout', '-1', $file)
		or die "git format-patch $file: $!";
} else {
	open($fh, '<', $file) or die "$file: $!";
}
while (my $line = <$fh>) {
	$n++;
	chomp $line;
	next unless $line =~ /^\+(?!\+\+)/;
	if ($line =~ /\s$/) {
		print "ERROR:TRAILING_WHITESPACE: trailing whitespace\n";
		print "#$n: FILE: $file:$n:\n$line\$\n\n";
		$errors++;
	}
}
close($fh) or die "$file: git format-patch failed\n";
die "no git commits after extraction!\n" unless $n;
print "total: $errors errors, 0 warnings, 0 checks, $n lines checked\n";
exit($errors ? 1 : 0);
