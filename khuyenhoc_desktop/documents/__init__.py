"""Files people open and print: report workbooks and PDFs. No widgets."""
