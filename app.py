import streamlit as st; st.title("hst-alliance")
