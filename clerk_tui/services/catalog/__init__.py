"""The matter catalog (事项目录): its file format, importing it, pinyin keys, listing
and search-as-you-type over it.
"""
