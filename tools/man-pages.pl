#!/usr/bin/perl
# Man pages from docs/command-line.md, at build time (CMake target `man`):
#   perl tools/man-pages.pl docs/command-line.md OUTDIR VERSION
# writes OUTDIR/anpham.1.gz (the whole document) and one page per command
# of its "Commands" table, OUTDIR/anpham-COMMAND.1.gz (`manifest merge`:
# anpham-manifest): the command's synopsis lines, its row of the table, the
# rows of the "Options" table its synopsis names, the exit status. The pages
# are made from the document on every build, so they say what it says.
# Only perl-base and gzip (both essential in Debian) are used.
#
# The Markdown read is the subset docs/*.md is written in: # and ## and ###
# headings, paragraphs, "- " and "1. " lists (continued by indented lines),
# code blocks (indented 4 spaces, or fenced), tables, and inline `code`,
# **bold**, *italic* and [links](target).
use strict;
use warnings;

my ($doc, $out, $version) = @ARGV;
die "usage: perl tools/man-pages.pl docs/command-line.md OUTDIR VERSION\n" unless defined $version;

open(my $in, '<', $doc) or die "$doc: $!\n";
my @lines = <$in>;
close($in);
chomp(@lines);

my @blocks = read_blocks(@lines);

# The synopsis (the first code block), the Commands and the Options tables,
# the exit status table...
my ($synopsis) = grep { $_->{kind} eq 'code' } @blocks;
die "$doc: no synopsis (a code block) found\n" unless $synopsis;
my $commands = table_after(\@blocks, 'Commands');
my $options = table_after(\@blocks, 'Options');
my $status = table_after(\@blocks, 'Exit status');
die "$doc: no Commands table\n" unless $commands;

# ...anpham(1): the whole document, then one page per command.
mkdir($out) or die "$out: $!\n" unless -d $out;
unlink(glob("$out/anpham*.1"), glob("$out/anpham*.1.gz"));
my @pages = ('anpham');
for my $row (@{$commands->{rows}}) {
  my $command = plain($row->[0]);
  my ($first) = split(/ /, $command);
  my $page = "anpham-$first";
  next if grep { $_ eq $page } @pages;
  push(@pages, $page);
  write_page($page, command_page($page, $command, $row));
}
write_page('anpham', whole_page(@pages[1 .. $#pages]));
exit 0;

# The roff text of anpham(1): every block of the document.
sub whole_page {
  my @see = @_;
  my $roff = header('anpham', 'typeset XML layouts and data into PDF');
  my $first = 1;
  for my $b (@blocks) {
    if ($b->{kind} eq 'title') {
      next;
    } elsif ($first && $b->{kind} eq 'code') {
      $roff .= ".SH SYNOPSIS\n" . code($b->{lines});
      $first = 0;
      next;
    }
    $roff .= block($b);
  }
  $roff .= ".SH SEE ALSO\n" . join(",\n", map { "\\fB" . escape($_) . "\\fR(1)" } @see) . "\n";
  $roff .= ".PP\nThe other documents named here are in \\fIshare/doc/anpham\\fR of the installation.\n";
  return $roff;
}

# The roff text of one command's page.
sub command_page {
  my ($page, $command, $row) = @_;
  my @mine = synopsis_of($command);
  my $what = $row->[1];
  (my $short = plain($what)) =~ s/\s*[(:;].*//s;
  my $roff = header($page, $short);
  $roff .= ".SH SYNOPSIS\n" . code(\@mine);
  $roff .= ".SH DESCRIPTION\n" . inline("`anpham $command`: $what") . "\n";
  my @rows = $options ? grep { names_option(\@mine, $_->[0]) } @{$options->{rows}} : ();
  if (@rows) {
    $roff .= ".SH OPTIONS\n";
    $roff .= table_roff({head => $options->{head}, rows => \@rows});
  }
  $roff .= ".SH EXIT STATUS\n" . table_roff($status) if $status;
  $roff .= ".SH SEE ALSO\n\\fBanpham\\fR(1), where every option and the files anpham reads and writes are described.\n";
  return $roff;
}

# The synopsis lines of a command: those that start "anpham COMMAND", with
# the lines that continue them (indented further).
sub synopsis_of {
  my ($command) = @_;
  my (@mine, $taking);
  for my $line (@{$synopsis->{lines}}) {
    if ($line =~ /^anpham (.*)/) {
      my $rest = $1;
      $taking = $rest =~ /^\Q$command\E(\s|$)/;
    }
    push(@mine, $line) if $taking;
  }
  return @mine;
}

# Does a synopsis name an option of the Options table (its first cell: one
# or more `-x ARG` spans)? An option with an argument matches that option
# with that argument ("--impose 2up" in "[--impose a5-booklet|2up]").
sub names_option {
  my ($mine, $cell) = @_;
  my %named;
  for my $line (@$mine) {
    while ($line =~ /(?<![\w-])(--?[a-z][a-z0-9-]*)(?: ([^\s\[\]]+))?/g) {
      my ($name, $arg) = ($1, $2);
      $named{$name} = 1;
      $named{"$name $_"} = 1 for defined $arg ? split(/\|/, $arg) : ();
    }
  }
  for my $span ($cell =~ /`([^`]+)`/g) {
    my ($name, $arg) = split(/ /, $span, 2);
    return 1 if $named{defined $arg ? "$name $arg" : $name};
  }
  return 0;
}

# The blocks of the document: {kind => title|section|subsection|para|list|code|table, ...}.
sub read_blocks {
  my @l = @_;
  my @b;
  my $i = 0;
  while ($i < @l) {
    my $line = $l[$i];
    if ($line =~ /^\s*$/) {
      $i++;
    } elsif ($line =~ /^(#{1,3})\s+(.*)/) {
      push(@b, {kind => (qw(title section subsection))[length($1) - 1], text => $2});
      $i++;
    } elsif ($line =~ /^```/) {
      my @code;
      $i++;
      push(@code, $l[$i++]) while $i < @l && $l[$i] !~ /^```/;
      $i++;
      push(@b, {kind => 'code', lines => \@code});
    } elsif ($line =~ /^    /) {
      my @code;
      while ($i < @l && ($l[$i] =~ /^    / || ($l[$i] =~ /^\s*$/ && $i + 1 < @l && $l[$i + 1] =~ /^    /))) {
        (my $c = $l[$i++]) =~ s/^    //;
        push(@code, $c);
      }
      push(@b, {kind => 'code', lines => \@code});
    } elsif ($line =~ /^\|/) {
      my @rows;
      push(@rows, cells($l[$i++])) while $i < @l && $l[$i] =~ /^\|/;
      my $head = shift(@rows);
      @rows = grep { !(@$_ && join('', @$_) =~ /^[-: ]*$/) } @rows;
      push(@b, {kind => 'table', head => $head, rows => \@rows});
    } elsif ($line =~ /^(-|\*|\d+\.)\s+/) {
      my @items;
      while ($i < @l && $l[$i] =~ /^(-|\*|\d+\.)\s+(.*)/) {
        my ($mark, $text) = ($1, $2);
        $i++;
        $text .= ' ' . trim($l[$i++]) while $i < @l && $l[$i] =~ /^\s+\S/ && $l[$i] !~ /^    \s*(-|\*|\d+\.)\s/;
        push(@items, {mark => $mark, text => $text});
      }
      push(@b, {kind => 'list', items => \@items});
    } else {
      my $text = trim($line);
      $i++;
      $text .= ' ' . trim($l[$i++]) while $i < @l && $l[$i] !~ /^\s*$/ && $l[$i] !~ /^(#|\||```|    |(-|\*|\d+\.)\s)/;
      push(@b, {kind => 'para', text => $text});
    }
  }
  return @b;
}

# The table that follows the heading whose text starts with NAME.
sub table_after {
  my ($blocks, $name) = @_;
  my $seen = 0;
  for my $b (@$blocks) {
    $seen = $b->{text} =~ /^\Q$name\E/ if $b->{kind} =~ /section/;
    return $b if $seen && $b->{kind} eq 'table';
  }
  return undef;
}

# The roff of one block.
sub block {
  my ($b) = @_;
  my $k = $b->{kind};
  return ".SH " . escape(uc(plain($b->{text}))) . "\n" if $k eq 'section';
  return ".SS " . escape(plain($b->{text})) . "\n" if $k eq 'subsection';
  return ".PP\n" . inline($b->{text}) . "\n" if $k eq 'para';
  return ".PP\n" . code($b->{lines}) if $k eq 'code';
  return table_roff($b) if $k eq 'table';
  if ($k eq 'list') {
    my $r = '';
    for my $item (@{$b->{items}}) {
      my $mark = $item->{mark} =~ /^\d/ ? $item->{mark} : '\\(bu';
      $r .= ".IP $mark 4\n" . inline($item->{text}) . "\n";
    }
    return $r . ".PP\n";
  }
  return '';
}

# A table: two columns as tagged paragraphs (the first cell the tag), more
# as a tbl(1) table.
sub table_roff {
  my ($t) = @_;
  my $r = '';
  if (@{$t->{head}} <= 2) {
    for my $row (@{$t->{rows}}) {
      my $tag = $row->[0] =~ /`|\*\*/ ? inline($row->[0]) : '\\fB' . inline($row->[0]) . '\\fR';
      $r .= ".TP\n$tag\n" . inline($row->[1] // '') . "\n";
    }
    return $r . ".PP\n";
  }
  my $n = @{$t->{head}};
  $r .= ".PP\n.TS\nallbox tab(\t);\n" . join(' ', ('lb') x $n) . "\n" . join(' ', ('l') x $n) . ".\n";
  $r .= join("\t", map { "T{\n" . inline($_) . "\nT}" } @{$t->{head}}) . "\n";
  for my $row (@{$t->{rows}}) {
    $r .= join("\t", map { "T{\n" . inline($row->[$_] // '') . "\nT}" } 0 .. $n - 1) . "\n";
  }
  return $r . ".TE\n.PP\n";
}

# A code block: as written, not filled.
sub code {
  my ($lines) = @_;
  my $r = ".RS 4\n.nf\n";
  $r .= line_start(escape_code($_)) . "\n" for @$lines;
  return $r . ".fi\n.RE\n";
}

# The page header: .TH and NAME.
sub header {
  my ($page, $what) = @_;
  my $r = "'\\\" t\n.\\\" Made by tools/man-pages.pl from docs/command-line.md: edit that, not this.\n";
  $r .= ".TH " . uc($page) . " 1 \"\" \"anpham $version\" \"anpham manual\"\n";
  $r .= ".SH NAME\n" . escape($page) . " \\- " . escape($what) . "\n";
  return $r;
}

# Inline Markdown to roff: `code` bold, **bold**, *italic*, links as their text.
sub inline {
  my ($text) = @_;
  my @spans;
  $text =~ s/`([^`]+)`/push(@spans, $1); "\x01" . $#spans . "\x02"/ge;
  $text =~ s/\[([^\]]+)\]\([^)]*\)/$1/g;
  $text = escape($text);
  $text =~ s/\*\*(.+?)\*\*/\\fB$1\\fR/g;
  $text =~ s/(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])/\\fI$1\\fR/g;
  $text =~ s/\x01(\d+)\x02/'\\fB' . escape_code($spans[$1]) . '\\fR'/ge;
  $text =~ s/\\fR\\fR/\\fR/g;
  return line_start($text);
}

# Text without Markdown marks.
sub plain {
  my ($text) = @_;
  $text =~ s/`([^`]+)`/$1/g;
  $text =~ s/\[([^\]]+)\]\([^)]*\)/$1/g;
  $text =~ s/\*\*(.+?)\*\*/$1/g;
  $text =~ s/(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])/$1/g;
  return $text;
}

# roff's special characters in running text; a dash that starts a word (an
# option) is a minus sign, so that it can be copied into a shell.
sub escape {
  my ($text) = @_;
  $text =~ s/\\/\\e/g;
  $text =~ s/(?<![\w.])-/\\-/g;
  return $text;
}

# roff's special characters in code: every dash a minus sign.
sub escape_code {
  my ($text) = @_;
  $text =~ s/\\/\\e/g;
  $text =~ s/-/\\-/g;
  return $text;
}

# A line that would start with a roff control character does not.
sub line_start {
  my ($text) = @_;
  $text =~ s/^([.'])/\\&$1/;
  return $text;
}

# The cells of a table row ("| a | b |").
sub cells {
  my ($row) = @_;
  $row =~ s/^\s*\|//;
  $row =~ s/\|\s*$//;
  my @c;
  # A | inside `code` is not a cell boundary...
  my $cell = '';
  my $in_code = 0;
  for my $ch (split(//, $row)) {
    $in_code = !$in_code if $ch eq '`';
    if ($ch eq '|' && !$in_code) {
      push(@c, trim($cell));
      $cell = '';
    } else {
      $cell .= $ch;
    }
  }
  push(@c, trim($cell));
  return \@c;
}

sub trim {
  my ($s) = @_;
  $s =~ s/^\s+|\s+$//g;
  return $s;
}

# Write OUT/PAGE.1.gz (gzip -n: the same bytes on every build).
sub write_page {
  my ($page, $roff) = @_;
  my $file = "$out/$page.1";
  open(my $fh, '>', $file) or die "$file: $!\n";
  print $fh $roff;
  close($fh) or die "$file: $!\n";
  system('gzip', '-9nf', $file) == 0 or die "gzip $file failed\n";
}
