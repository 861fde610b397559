import FuzzSupport

/// Files shaped like the IMDB CSVs: quoted reviews with commas, doubled quotes and line breaks,
/// numeric and named labels, a byte-order mark, CRLF line ends, non-ASCII text.
let textCSVSeeds = [
    "text,label,rating\n\"A fine, \"\"quiet\"\" film.<br />Yes.\",1,8\nbad movie,0,2\n",
    "text,label\ngreat,pos\n\"awful,\nreally\",neg\n",
    "\u{FEFF}text,label\r\nok,1\r\n\r\nno,0\r\n",
    "label,text\n1,  spaced  \n0,\"\"\n",
    "text\nüber café naïve\n日本語のテキスト\n",
].enumerated().map { seed("text\($0.offset).csv", $0.element) }
